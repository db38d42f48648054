import { Logger } from '@nestjs/common';
import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { Clock } from '../common/clock/clock';
import type { AuditFileConfig } from '../config/audit-config';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** `20260115T120000.000Z`: sorts like the time it names. */
const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z$/;

interface RotatedFile {
  path: string;
  rotatedAt: number;
}

/**
 * An append-only JSONL file with rotation, so the audit cannot fill the disk: the current file
 * is renamed `<name>-<rotation time>.jsonl` before a write would take it past `maxBytes`, or
 * once its first record is `maxAgeHours` old (by the injected clock, checked on every write and
 * at start-up); then rotated files beyond `maxFiles` or older than `retentionDays` are removed.
 * Whole files are removed, so records are kept by file: at most (1 + maxFiles) × maxBytes on
 * disk, and no rotated file outlives its rotation time by more than the retention. Writes must
 * not overlap (the audit service serialises them).
 */
export class RotatingAuditFile {
  private readonly logger = new Logger('Audit');
  private readonly stem: string;
  private readonly ext: string;
  private size = 0;
  /** Clock time of the current file's first record; undefined while it is empty. */
  private startedAt: number | undefined;
  private lastRotation = 0;
  private opened: Promise<void> | undefined;

  readonly path: string;
  private readonly limits: AuditFileConfig;
  private readonly clock: Clock;

  constructor(options: { path: string; limits: AuditFileConfig; clock: Clock }) {
    ({ path: this.path, limits: this.limits, clock: this.clock } = options);
    this.ext = extname(this.path);
    this.stem = basename(this.path, this.ext);
  }

  /** Appends whole lines, rotating first when the size or age limit says so. */
  async append(text: string | Buffer): Promise<void> {
    await this.open();
    const bytes = Buffer.byteLength(text);
    if (this.size > 0 && (this.size + bytes > this.limits.maxBytes || this.tooOld())) {
      await this.rotate();
    }
    await fs.mkdir(dirname(this.path), { recursive: true });
    await fs.appendFile(this.path, text);
    this.size += bytes;
    this.startedAt ??= this.clock.now();
  }

  /** The current file, then the rotated ones, newest first. */
  async files(): Promise<string[]> {
    await this.open();
    return [this.path, ...(await this.rotated()).map((f) => f.path)];
  }

  /** Learns the current file's size and age once, and applies the limits left from before. */
  open(): Promise<void> {
    this.opened ??= this.inspect();
    return this.opened;
  }

  private async inspect(): Promise<void> {
    try {
      this.size = (await fs.stat(this.path)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      this.size = 0;
    }
    if (this.size > 0) this.startedAt = (await this.firstRecordTime()) ?? this.clock.now();
    if (this.size > 0 && this.tooOld()) await this.rotate();
    else await this.enforceRetention();
  }

  private tooOld(): boolean {
    return (
      this.startedAt !== undefined &&
      this.clock.now() - this.startedAt >= this.limits.maxAgeHours * HOUR_MS
    );
  }

  private async rotate(): Promise<void> {
    // Strictly increasing, so two rotations in one millisecond never share a name.
    const at = Math.max(this.clock.now(), this.lastRotation + 1);
    this.lastRotation = at;
    const target = join(dirname(this.path), `${this.stem}-${stampOf(at)}${this.ext}`);
    await fs.rename(this.path, target);
    this.size = 0;
    this.startedAt = undefined;
    await this.enforceRetention();
  }

  private async enforceRetention(): Promise<void> {
    const oldest = this.clock.now() - this.limits.retentionDays * DAY_MS;
    const rotated = await this.rotated();
    for (const [index, file] of rotated.entries()) {
      const expired = file.rotatedAt < oldest;
      if (!expired && index < this.limits.maxFiles) continue;
      await fs.rm(file.path, { force: true });
      this.logger.log(
        `Removed rotated audit file ${basename(file.path)} (${
          expired
            ? `older than AUDIT_RETENTION_DAYS=${this.limits.retentionDays}`
            : `beyond AUDIT_FILE_MAX_FILES=${this.limits.maxFiles}`
        })`,
      );
    }
  }

  /** Rotated files, newest first. */
  private async rotated(): Promise<RotatedFile[]> {
    let names: string[];
    try {
      names = await fs.readdir(dirname(this.path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const prefix = `${this.stem}-`;
    const files: RotatedFile[] = [];
    for (const name of names) {
      if (!name.startsWith(prefix) || !name.endsWith(this.ext)) continue;
      const rotatedAt = timeOfStamp(name.slice(prefix.length, name.length - this.ext.length));
      if (rotatedAt !== undefined) files.push({ path: join(dirname(this.path), name), rotatedAt });
    }
    this.lastRotation = Math.max(this.lastRotation, ...files.map((f) => f.rotatedAt));
    return files.sort((a, b) => b.rotatedAt - a.rotatedAt);
  }

  /** The `time` of the current file's first line, to age a file written before a restart. */
  private async firstRecordTime(): Promise<number | undefined> {
    const handle = await fs.open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(this.size, 64 * 1024));
      await handle.read(buffer, 0, buffer.length, 0);
      const line = buffer.toString('utf8').split('\n', 1)[0];
      const time = (JSON.parse(line) as { time?: unknown }).time;
      const ms = typeof time === 'string' ? Date.parse(time) : NaN;
      return Number.isFinite(ms) ? ms : undefined;
    } catch {
      // A first line cut short or not JSON: the caller ages the file from now instead.
      return undefined;
    } finally {
      await handle.close();
    }
  }
}

function stampOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '');
}

function timeOfStamp(stamp: string): number | undefined {
  const m = STAMP.exec(stamp);
  if (!m) return undefined;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]);
}
