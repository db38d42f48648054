import { Logger } from '@nestjs/common';
import { promises as fs } from 'node:fs';
import type { Clock } from '../common/clock/clock';
import type { AuditFileConfig } from '../config/audit-config';
import { AuditLines } from './audit-lines';
import { AuditStore } from './audit-store';
import { AuditQuery, AuditRecord } from './audit.types';
import { MemoryAuditStore } from './memory-audit.store';
import { RotatingAuditFile } from './rotating-audit-file';

/** Bytes read back at start-up per record the memory keeps (records are ≈ 300-500 bytes). */
const RELOAD_BYTES_PER_RECORD = 1024;
const MIN_RELOAD_BYTES = 8 * 1024 * 1024;

export interface FileAuditStoreOptions {
  /** Records kept in memory for queries. */
  memoryRecords: number;
  limits: AuditFileConfig;
  clock: Clock;
}

/**
 * Appends records to a rotated JSONL file (durable across restarts, bounded on disk) and keeps
 * the most recent ones in memory for queries; at start-up it reloads the newest records from
 * the current file and, when that holds fewer than the memory keeps, from the rotated ones.
 */
export class FileAuditStore extends AuditStore {
  private readonly logger = new Logger('FileAuditStore');
  private readonly memory: MemoryAuditStore;
  private readonly file: RotatingAuditFile;
  private loaded: Promise<void> | undefined;

  constructor(
    path: string,
    private readonly options: FileAuditStoreOptions,
  ) {
    super();
    this.memory = new MemoryAuditStore(options.memoryRecords);
    this.file = new RotatingAuditFile({ path, limits: options.limits, clock: options.clock });
  }

  async append(lines: AuditLines): Promise<void> {
    await this.load();
    if (!lines.count) return;
    await this.file.append(lines.bytes);
    this.memory.remember(lines);
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    await this.load();
    return this.memory.query(query);
  }

  private load(): Promise<void> {
    this.loaded ??= this.reload();
    return this.loaded;
  }

  private async reload(): Promise<void> {
    let budget = Math.max(MIN_RELOAD_BYTES, this.options.memoryRecords * RELOAD_BYTES_PER_RECORD);
    const newestFirst: AuditLines[] = [];
    let count = 0;
    for (const path of await this.file.files()) {
      if (budget <= 0 || count >= this.options.memoryRecords) break;
      const { lines, bytesRead } = await this.readTail(path, budget);
      budget -= bytesRead;
      count += lines.count;
      newestFirst.push(lines);
    }
    for (const lines of newestFirst.reverse()) this.memory.remember(lines);
  }

  /** The whole records in the last `maxBytes` of a file (none if it is gone). */
  private async readTail(
    path: string,
    maxBytes: number,
  ): Promise<{ lines: AuditLines; bytesRead: number }> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(path, 'r');
      const { size } = await handle.stat();
      const start = Math.max(0, size - maxBytes);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      let text = buffer.toString('utf8');
      // The first line may be cut in half.
      if (start > 0) text = text.slice(text.indexOf('\n') + 1);
      // Each line is parsed (and written again): what the memory keeps is known to parse.
      const { lines, skipped } = AuditLines.parse(text);
      if (skipped) this.logger.warn(`Skipped ${skipped} unreadable audit line(s) in ${path}`);
      return { lines, bytesRead: buffer.length };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return { lines: AuditLines.empty, bytesRead: 0 };
    } finally {
      await handle?.close();
    }
  }
}
