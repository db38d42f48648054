import { Logger } from '@nestjs/common';
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { AuditQuery, AuditRecord, AuditStore, matchesQuery } from './audit.types';

const RING_SIZE = 20000;
const TAIL_BYTES = 8 * 1024 * 1024;

/**
 * Appends records to a JSONL file (durable across restarts) and keeps the most recent ones in
 * memory for queries; at start-up it reloads the file's tail so queries see earlier runs.
 */
export class FileAuditStore extends AuditStore {
  private readonly logger = new Logger('FileAuditStore');
  private readonly ring: AuditRecord[] = [];
  private loaded: Promise<void> | undefined;

  constructor(private readonly file: string) {
    super();
  }

  async append(records: readonly AuditRecord[]): Promise<void> {
    await this.load();
    if (!records.length) return;
    await fs.mkdir(dirname(this.file), { recursive: true });
    await fs.appendFile(this.file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    this.remember(records);
  }

  async query(query: AuditQuery): Promise<AuditRecord[]> {
    await this.load();
    const out: AuditRecord[] = [];
    for (let i = this.ring.length - 1; i >= 0 && out.length < query.limit; i--) {
      if (matchesQuery(this.ring[i], query)) out.push(this.ring[i]);
    }
    return out;
  }

  private remember(records: readonly AuditRecord[]): void {
    this.ring.push(...records);
    if (this.ring.length > RING_SIZE) this.ring.splice(0, this.ring.length - RING_SIZE);
  }

  private load(): Promise<void> {
    this.loaded ??= this.readTail();
    return this.loaded;
  }

  private async readTail(): Promise<void> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.file, 'r');
      const { size } = await handle.stat();
      const start = Math.max(0, size - TAIL_BYTES);
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
      this.remember(records);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    } finally {
      await handle?.close();
    }
  }
}
