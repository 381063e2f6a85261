/**
 * Remembers which webhook deliveries were already handled, so a duplicate delivery does no work.
 * The default keeps keys in memory; implement this over Redis, KV or a database when the proxy
 * runs on several instances.
 */
export interface IdempotencyStore {
  /** Marks `key` as handled for `ttlMs`; `false` when it already was (a duplicate). */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>
  /** Forgets `key`, so a retry of a delivery that failed is handled again. */
  release(key: string): void | Promise<void>
}

export interface MemoryIdempotencyStoreOptions {
  /** Oldest keys are dropped beyond this many. Default 10,000. */
  maxEntries?: number
  now?: () => number
}

/** A bounded in-memory {@link IdempotencyStore}: least recently claimed keys go first. */
export function createMemoryIdempotencyStore(
  options: MemoryIdempotencyStoreOptions = {},
): IdempotencyStore {
  const maxEntries = options.maxEntries ?? 10_000
  const now = options.now ?? Date.now
  const expiries = new Map<string, number>()
  return {
    claim(key, ttlMs) {
      const expiresAt = expiries.get(key)
      if (expiresAt !== undefined && expiresAt > now()) return false
      expiries.delete(key)
      expiries.set(key, now() + ttlMs)
      while (expiries.size > maxEntries) expiries.delete(expiries.keys().next().value!)
      return true
    },
    release(key) {
      expiries.delete(key)
    },
  }
}
