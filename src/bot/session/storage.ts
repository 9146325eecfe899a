/**
 * grammY's StorageAdapter shape. Defined here (rather than importing grammy) because it is the whole
 * contract: read, write, delete. `@grammyjs/storage-redis` implements it over ioredis.
 */
export interface StorageAdapter<T> {
  read(key: string): Promise<T | undefined> | T | undefined;
  write(key: string, value: T): Promise<void> | void;
  delete(key: string): Promise<void> | void;
}

/**
 * In-memory adapter for the embedded default (no REDIS_URL). Values are stored as JSON text so that
 * behaviour (cloning, corrupt blobs, TTL) matches the Redis adapter.
 */
export class MemoryStorage implements StorageAdapter<unknown> {
  private readonly data = new Map<string, { json: string; expiresAt: number }>();

  constructor(private readonly ttlSeconds: number) {}

  read(key: string): unknown {
    const entry = this.data.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.data.delete(key);
      return undefined;
    }
    return JSON.parse(entry.json) as unknown;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, { json: JSON.stringify(value), expiresAt: Date.now() + this.ttlSeconds * 1000 });
  }

  delete(key: string): void {
    this.data.delete(key);
  }

  /** For tests: put raw text under a key, as a corrupt Redis value would be. */
  writeRaw(key: string, json: string): void {
    this.data.set(key, { json, expiresAt: Date.now() + this.ttlSeconds * 1000 });
  }
}
