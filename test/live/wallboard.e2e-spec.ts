import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startTestGateway, TestGateway, TEST_KEYS } from '../utils/test-gateway';
import { setQueueFigures } from './live-helpers';

const TTL_S = 2;
/** One poll interval, plus the time a loaded CI machine takes to deliver and paint. */
const WITHIN_ONE_POLL_MS = TTL_S * 1000 + 3000;
/** Screenshots go here (under tmp/, which git ignores). */
const OUTPUT_DIR = join(__dirname, '..', '..', 'tmp', 'test-output', 'wallboard');
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

jest.setTimeout(60_000);

interface TileView {
  id: string | null;
  level: string | null;
  name: string;
  queued: string;
  wait: string;
  available: string;
  serviceLevel: string;
}

function tiles(page: Page): Promise<TileView[]> {
  return page.$$eval('[data-queue-id]', (nodes) =>
    nodes.map((n) => {
      const text = (selector: string) => n.querySelector(selector)?.textContent ?? '';
      return {
        id: n.getAttribute('data-queue-id'),
        level: n.getAttribute('data-level'),
        name: text('.name'),
        queued: text('.queued .value'),
        wait: text('.wait .value'),
        available: text('.available .value'),
        serviceLevel: text('.service-level .value'),
      };
    }),
  );
}

/** Resolves once `check()` holds; fails after `timeoutMs`. */
async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Page code reading the stored key (a string: these specs compile without the DOM types). */
/** What a predicate run in the page sees of it (specs compile without the DOM types). */
type PageGlobals = { document: { querySelectorAll(selector: string): { length: number } } };

function storedKey(storage: 'sessionStorage' | 'localStorage'): string {
  return `${storage}.getItem('cxgw.wallboard.key')`;
}

function levelFor(waitS: number): string {
  return waitS >= 180 ? 'alarm' : waitS >= 60 ? 'warn' : 'ok';
}

function waitText(seconds: number): string {
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}` : `${s} s`;
}

describe('GET /wallboard in a headless browser (e2e)', () => {
  let t: TestGateway;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    t = await startTestGateway({ env: { QUEUE_STATS_TTL_S: String(TTL_S) } });
    profile = mkdtempSync(join(tmpdir(), 'cxgw-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1600, height: 900 },
    });
  });
  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    await t?.close();
  });

  it('shows every queue from a #key= login, follows a change within one poll, and flags alarms', async () => {
    const page = await context.newPage();
    await page.goto(`${t.url}/wallboard?warn=60&alarm=180#key=${TEST_KEYS.reporting}`);
    const queues = t.sandbox.fixtures.queues;
    // A function, not a string: a string predicate is eval'd in the page, which its CSP forbids.
    await page.waitForFunction(
      // Runs in the browser: self-contained, the cast is erased when compiled.
      (count) =>
        (globalThis as unknown as PageGlobals).document.querySelectorAll('[data-queue-id]')
          .length === count,
      queues.length,
    );

    // The fragment was read once and is gone; the key sits in this tab's session storage only.
    expect(page.url()).toBe(`${t.url}/wallboard?warn=60&alarm=180`);
    expect(await page.evaluate(storedKey('sessionStorage'))).toBe(TEST_KEYS.reporting);
    expect(await page.evaluate(storedKey('localStorage'))).toBeNull();

    const stats = (await (
      await fetch(`${t.url}/v1/queues/stats`, { headers: t.auth() })
    ).json()) as {
      queues: {
        queueId: string;
        queueName: string;
        waitTime: number;
        agentCount: number;
        serviceLevel: number;
      }[];
    };
    const shown = await tiles(page);
    expect(shown).toEqual(
      stats.queues.map((q) => ({
        id: q.queueId,
        level: levelFor(q.waitTime),
        name: q.queueName,
        queued: '—',
        wait: waitText(q.waitTime),
        available: String(q.agentCount),
        serviceLevel: `${q.serviceLevel.toFixed(1)} %`,
      })),
    );
    expect(await page.isHidden('#banner')).toBe(true);

    // Each change moves the tile to another level, shown within one poll.
    const target = queues[1];
    const tile = `[data-queue-id="${target.id}"]`;
    const shows = (level: string, wait: string) =>
      page.waitForSelector(`${tile}[data-level="${level}"] .wait .value:text-is("${wait}")`, {
        timeout: WITHIN_ONE_POLL_MS,
      });
    await setQueueFigures(t.sandbox.url, target.id, { waitTime: 30 });
    await shows('ok', '30 s');
    expect(await page.textContent(`${tile} .level`)).toBe('● OK');
    await setQueueFigures(t.sandbox.url, target.id, {
      waitTime: 200,
      agentCount: 3,
      serviceLevel: 41,
    });
    await shows('alarm', '3:20');
    const changed = (await tiles(page)).find((v) => v.id === target.id);
    expect(changed).toMatchObject({ available: '3', serviceLevel: '41.0 %' });
    expect(await page.textContent(`${tile} .level`)).toBe('■ ALARM');
    await setQueueFigures(t.sandbox.url, target.id, { waitTime: 75 });
    await shows('warn', '1:15');
    expect(await page.textContent(`${tile} .level`)).toBe('▲ WARN');
    // The other tiles did not move.
    const others = (await tiles(page)).filter((v) => v.id !== target.id);
    expect(others).toEqual(shown.filter((v) => v.id !== target.id));
    await page.screenshot({ path: join(OUTPUT_DIR, 'wallboard.png'), fullPage: true });
    await page.close();
  });

  it('says so in a banner when CXone is degraded, and clears it when it is back', async () => {
    const page = await context.newPage();
    await page.goto(`${t.url}/wallboard#key=${TEST_KEYS.reporting}`);
    await page.waitForSelector('[data-queue-id]');
    await t.control.addFaults([{ route: 'queueStats', kind: 'status', status: 503, times: 1000 }]);
    await page.waitForSelector('#banner.degraded', { timeout: 20_000 });
    expect(await page.textContent('#banner')).toContain('CXone is degraded');
    // The last figures stay up meanwhile.
    expect(await page.$$('[data-queue-id]')).toHaveLength(t.sandbox.fixtures.queues.length);
    await page.screenshot({ path: join(OUTPUT_DIR, 'wallboard-degraded.png') });
    await t.control.clearFaults();
    await page.waitForSelector('#banner', { state: 'hidden', timeout: 20_000 });
    await page.close();
  });

  it('asks for a key once, refuses a wrong one, and remembers a right one on this screen when told', async () => {
    const page = await context.newPage();
    await page.goto(`${t.url}/wallboard`);
    await page.waitForSelector('#login:not([hidden])');
    await page.fill('#key', 'not-a-key');
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('#login-error:not(:empty)');
    expect(await page.textContent('#login-error')).toBe('That key is not valid.');

    await page.fill('#key', TEST_KEYS.reporting);
    await page.check('#remember');
    await page.click('#login button[type="submit"]');
    await page.waitForSelector('[data-queue-id]');
    expect(await page.isHidden('#login')).toBe(true);
    expect(await page.evaluate(storedKey('localStorage'))).toBe(TEST_KEYS.reporting);

    // An unattended TV reloads: no form, straight to the queues.
    await page.reload();
    await page.waitForSelector('[data-queue-id]');
    expect(await page.isHidden('#login')).toBe(true);
    await page.click('#sign-out');
    expect(await page.evaluate(storedKey('localStorage'))).toBeNull();
    await page.close();
  });
});

describe('wallboard tickets and reconnects in a headless browser (e2e)', () => {
  const TICKET_TTL_S = 10;
  let t: TestGateway;
  let gatewayClosed = false;
  let context: BrowserContext;
  let profile: string;

  beforeAll(async () => {
    t = await startTestGateway({
      env: { QUEUE_STATS_TTL_S: '1', STREAM_TICKET_TTL_S: String(TICKET_TTL_S) },
    });
    profile = mkdtempSync(join(tmpdir(), 'cxgw-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_FLAGS,
    });
  });
  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    if (!gatewayClosed) await t?.close();
  });

  it('renews its ticket before it expires, then shows a reconnecting banner when the gateway goes away', async () => {
    const page = await context.newPage();
    const tickets: { at: number; expiresAt?: number }[] = [];
    page.on('response', (res) => {
      if (!res.url().endsWith('/v1/queues/stream-tickets')) return;
      const entry: { at: number; expiresAt?: number } = { at: Date.now() };
      tickets.push(entry);
      void res.json().then((body: { expiresAt: string }) => {
        entry.expiresAt = Date.parse(body.expiresAt);
      });
    });
    const streamUrls: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes('/v1/queues/stream?')) streamUrls.push(req.url());
    });
    await page.goto(`${t.url}/wallboard#key=${TEST_KEYS.reporting}`);
    await page.waitForSelector('[data-queue-id]');
    // The page renews at 80 % of the ticket's life: a second ticket arrives before the first expires.
    await until(
      () => tickets.length >= 2 && tickets[1].expiresAt !== undefined,
      TICKET_TTL_S * 1000,
    );
    const [first, second] = tickets;
    // One ticket to start with; the next is the renewal, late in the first one's life but before its end.
    expect(second.at - first.at).toBeGreaterThanOrEqual(TICKET_TTL_S * 1000 * 0.5);
    expect(second.at).toBeLessThan(first.expiresAt as number);
    // The stream URL carries a ticket, never the key.
    expect(streamUrls.length).toBeGreaterThan(0);
    expect(
      streamUrls.every((u) => u.includes('ticket=cxst_') && !u.includes(TEST_KEYS.reporting)),
    ).toBe(true);

    gatewayClosed = true;
    await t.close();
    await page.waitForSelector('#banner.reconnecting', { timeout: 10_000 });
    expect(await page.textContent('#banner')).toContain('Reconnecting');
    // The last figures stay on the wall meanwhile.
    expect(await page.$$('[data-queue-id]')).toHaveLength(t.sandbox.fixtures.queues.length);
    await page.screenshot({ path: join(OUTPUT_DIR, 'wallboard-reconnecting.png') });
    await page.close();
  });
});
