/**
 * A tiny seeded pseudo-random source, so the demo data (and the ids the journeys rely on) come out
 * the same on every machine for the same seed. Not for anything security-related.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max]. */
  int(min: number, max: number): number
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T
  /** `count` distinct elements, in random order. */
  sample<T>(items: readonly T[], count: number): T[]
  /** A Clerk-style id: prefix + 27 base62 characters (KSUID-like length). */
  id(prefix: string): string
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** mulberry32: small, fast and good enough to make varied but reproducible demo data. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1))
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick() needs at least one item')
    return items[int(0, items.length - 1)] as T
  }
  const sample = <T>(items: readonly T[], count: number): T[] => {
    const pool = [...items]
    const chosen: T[] = []
    while (chosen.length < count && pool.length > 0)
      chosen.push(pool.splice(int(0, pool.length - 1), 1)[0] as T)
    return chosen
  }
  const id = (prefix: string): string => {
    let body = ''
    for (let i = 0; i < 27; i++) body += BASE62[int(0, 61)]
    return `${prefix}_${body}`
  }
  return {next, int, pick, sample, id}
}
