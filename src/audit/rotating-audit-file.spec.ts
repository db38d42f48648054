import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../common/clock/fake-clock.fake';
import type { AuditFileConfig } from '../config/audit-config';
import { RotatingAuditFile } from './rotating-audit-file';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const LIMITS: AuditFileConfig = { maxBytes: 100, maxAgeHours: 24, maxFiles: 3, retentionDays: 7 };

/** A JSONL line (≈ 42 bytes) whose `time` is `at`. */
const line = (at: number, n: number) =>
  `${JSON.stringify({ time: new Date(at).toISOString(), n })}\n`;

describe('RotatingAuditFile', () => {
  let dir: string;
  let file: string;
  let clock: FakeClock;
  const names = () => readdirSync(dir).sort();
  const rotated = () => names().filter((n) => n !== 'audit.jsonl');
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-rot-'));
    file = join(dir, 'audit.jsonl');
    clock = new FakeClock(T0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('rotates before a write would pass AUDIT_FILE_MAX_BYTES and keeps every line', async () => {
    const sut = new RotatingAuditFile({ path: file, limits: { ...LIMITS, maxFiles: 100 }, clock });
    const written: string[] = [];
    for (let n = 0; n < 12; n++) {
      const text = line(clock.now(), n);
      written.push(text);
      await sut.append(text);
      await clock.advance(1000);
    }
    // No file ever passes the limit, and nothing was lost across the rotations.
    for (const name of names()) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(100);
    expect(rotated().length).toBeGreaterThanOrEqual(2);
    expect(rotated().every((n) => /^audit-\d{8}T\d{6}\.\d{3}Z\.jsonl$/.test(n))).toBe(true);
    const files = await sut.files();
    expect(files[0]).toBe(file);
    const text = [...files]
      .reverse()
      .map((f) => readFileSync(f, 'utf8'))
      .join('');
    expect(text).toBe(written.join(''));
  });

  it('keeps at most AUDIT_FILE_MAX_FILES rotated files, removing the oldest', async () => {
    const sut = new RotatingAuditFile({ path: file, limits: { ...LIMITS, maxBytes: 1024 }, clock });
    const big = (n: number) => `${JSON.stringify({ n, pad: 'x'.repeat(900) })}\n`;
    for (let n = 0; n < 8; n++) {
      await sut.append(big(n));
      await clock.advance(1000);
    }
    // Each write rotates the one before: 7 rotations, the last 3 kept.
    expect(rotated()).toHaveLength(3);
    const kept = (await sut.files()).map(
      (f) => (JSON.parse(readFileSync(f, 'utf8')) as { n: number }).n,
    );
    expect(kept).toEqual([7, 6, 5, 4]);
  });

  it('rotates a file once its first record is AUDIT_FILE_MAX_AGE_HOURS old, by the clock', async () => {
    const sut = new RotatingAuditFile({
      path: file,
      limits: { ...LIMITS, maxBytes: 1 << 20 },
      clock,
    });
    await sut.append(line(clock.now(), 1));
    await clock.advance(23 * HOUR);
    await sut.append(line(clock.now(), 2));
    expect(rotated()).toEqual([]);
    await clock.advance(HOUR);
    await sut.append(line(clock.now(), 3));
    expect(rotated()).toEqual(['audit-20260302T000000.000Z.jsonl']);
    expect(readFileSync(file, 'utf8')).toBe(line(clock.now(), 3));
  });

  it('removes rotated files older than AUDIT_RETENTION_DAYS, keeping younger ones', async () => {
    const sut = new RotatingAuditFile({
      path: file,
      limits: { ...LIMITS, maxBytes: 1 << 20, maxFiles: 100 },
      clock,
    });
    // One file per day for 10 days: each day's first write rotates the day before.
    for (let day = 0; day < 10; day++) {
      await sut.append(line(clock.now(), day));
      await clock.advance(DAY);
    }
    await sut.append(line(clock.now(), 10));
    // Rotated at days 1..10; the clock is at day 10, so those of days 1 and 2 are past 7 days.
    expect(rotated()).toHaveLength(8);
    expect(rotated()[0]).toBe('audit-20260304T000000.000Z.jsonl');
  });

  it('after a restart, ages the current file by its first record and applies the limits', async () => {
    writeFileSync(file, line(T0 - 2 * DAY, 0));
    writeFileSync(
      join(dir, 'audit-20260101T000000.000Z.jsonl'),
      line(Date.parse('2026-01-01'), -1),
    );
    writeFileSync(join(dir, 'unrelated.txt'), 'kept');
    const sut = new RotatingAuditFile({ path: file, limits: LIMITS, clock });
    const files = await sut.files();
    // The current file was 2 days old: rotated at start-up; the January one is past retention.
    expect(rotated()).toEqual(['audit-20260301T000000.000Z.jsonl', 'unrelated.txt']);
    expect(files).toEqual([file, join(dir, 'audit-20260301T000000.000Z.jsonl')]);
  });
});
