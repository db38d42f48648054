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

/** Page code reading the stored key (a string: these specs compile without the DOM types). */
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
    await page.waitForFunction(
      `document.querySelectorAll('[data-queue-id]').length === ${queues.length}`,
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
