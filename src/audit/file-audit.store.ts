import { Logger } from '@nestjs/common';
import { promises as fs } from 'node:fs';
import type { Clock } from '../common/clock/clock';
import type { AuditFileConfig } from '../config/audit-config';
import { AuditQuery, AuditRecord, AuditStore } from './audit.types';
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

  async append(records: readonly AuditRecord[]): Promise<void> {
    await this.load();
    if (!records.length) return;
    await this.file.append(records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    this.memory.remember(records);
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
    const newestFirst: AuditRecord[][] = [];
    let count = 0;
    for (const path of await this.file.files()) {
      if (budget <= 0 || count >= this.options.memoryRecords) break;
      const { records, bytesRead } = await this.readTail(path, budget);
      budget -= bytesRead;
      count += records.length;
      newestFirst.push(records);
    }
    for (const records of newestFirst.reverse()) this.memory.remember(records);
  }

  /** The whole records in the last `maxBytes` of a file (none if it is gone). */
  private async readTail(
    path: string,
    maxBytes: number,
  ): Promise<{ records: AuditRecord[]; bytesRead: number }> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(path, 'r');
      const { size } = await handle.stat();
      const start = Math.max(0, size - maxBytes);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const lines = buffer.toString('utf8').split('\n');
      if (start > 0) lines.shift(); // the first line may be cut in half
      const records: AuditRecord[] = [];
      for (const line of lines) {
        if (!line.trim()) continue;
        try {
          records.push(JSON.parse(line) as AuditRecord);
        } catch {
          this.logger.warn('Skipping an unreadable audit line');
        }
      }
      return { records, bytesRead: buffer.length };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return { records: [], bytesRead: 0 };
    } finally {
      await handle?.close();
    }
  }
}
