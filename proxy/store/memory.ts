import type {ClaimState, Lease, ProxyStore, RateWindow} from './types'

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Claims and remembered values kept at most; the oldest go first. Default 10,000 each. */
  maxEntries?: number
  /** The store's clock. Default `Date.now`. */
  now?: () => number
}

interface Expiring<T> {
  value: T
  expiresAt: number
}

/**
 * The default {@link ProxyStore}: plain maps in memory. Correct for ONE proxy process; with
 * several instances each would hold its own claims, leases and cursor, so use `createRedisStore`
 * there. Bounded: claims and remembered values beyond `maxEntries` drop oldest first.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): ProxyStore {
  const maxEntries = options.maxEntries ?? 10_000
  const clock = options.now ?? Date.now
  const claims = new Map<string, Expiring<'running' | 'done'>>()
  const leases = new Map<string, Expiring<number>>()
  const fences = new Map<string, number>()
  const cursors = new Map<string, string>()
  const grants = new Map<string, number[]>()
  const queues = new Map<string, Map<string, number>>()
  const values = new Map<string, Expiring<string>>()

  function live<T>(map: Map<string, Expiring<T>>, key: string): T | undefined {
    const entry = map.get(key)
    if (!entry) return undefined
    if (entry.expiresAt > clock()) return entry.value
    map.delete(key)
    return undefined
  }

  /** Insert as newest, dropping the oldest entries beyond the bound. */
  function put<T>(map: Map<string, Expiring<T>>, key: string, value: T, ttlMs: number) {
    map.delete(key)
    map.set(key, {value, expiresAt: clock() + ttlMs})
    while (map.size > maxEntries) map.delete(map.keys().next().value!)
  }

  const holds = (lease: Lease) => live(leases, lease.name) === lease.token

  return {
    async claim(key, runningTtlMs): Promise<ClaimState> {
      const state = live(claims, key)
      if (state) return state
      put(claims, key, 'running', runningTtlMs)
      return 'claimed'
    },
    async complete(key, doneTtlMs) {
      put(claims, key, 'done', doneTtlMs)
    },
    async release(key) {
      if (live(claims, key) === 'running') claims.delete(key)
    },

    async acquireLease(name, ttlMs) {
      if (live(leases, name) !== undefined) return null
      const previousToken = fences.get(name) ?? null
      const token = (previousToken ?? clock() * 1000) + 1
      fences.set(name, token)
      leases.set(name, {value: token, expiresAt: clock() + ttlMs})
      return {name, token, previousToken}
    },
    async renewLease(lease, ttlMs) {
      if (!holds(lease)) return false
      leases.set(lease.name, {value: lease.token, expiresAt: clock() + ttlMs})
      return true
    },
    async releaseLease(lease) {
      if (holds(lease)) leases.delete(lease.name)
    },

    async readCursor(name) {
      return cursors.get(name) ?? null
    },
    async advanceCursor(name, expected, next) {
      if ((cursors.get(name) ?? null) !== expected) return false
      cursors.set(name, next)
      return true
    },

    async takeRateSlot(name, {requests, perMs}: RateWindow) {
      const at = clock()
      const window = (grants.get(name) ?? []).filter((grantedAt) => grantedAt > at - perMs)
      grants.set(name, window)
      if (window.length < requests) {
        window.push(at)
        return 0
      }
      return Math.max(1, window[0]! + perMs - at)
    },

    async schedule(queue, member, dueAt) {
      let members = queues.get(queue)
      if (!members) queues.set(queue, (members = new Map()))
      members.set(member, Math.max(dueAt, members.get(member) ?? -Infinity))
    },
    async takeDue(queue, now, limit) {
      const members = queues.get(queue)
      if (!members) return []
      const due = [...members]
        .filter(([, dueAt]) => dueAt <= now)
        .sort(([a, x], [b, y]) => x - y || a.localeCompare(b))
        .slice(0, limit)
        .map(([member]) => member)
      for (const member of due) members.delete(member)
      return due
    },

    async remember(key, value, ttlMs) {
      put(values, key, value, ttlMs)
    },
    async recall(keys) {
      return keys.map((key) => live(values, key) ?? null)
    },

    async now() {
      return clock()
    },
  }
}
