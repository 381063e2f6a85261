/**
 * Randomness for the emulator. Ids and trace ids come from a {@link RandomSource}, so seeded
 * populations are reproducible while ids minted at run time stay unpredictable.
 */
import {randomBytes} from 'node:crypto'

/** A source of floats in [0, 1). */
export type RandomSource = () => number

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Length of the part after the prefix in Clerk ids (KSUID-sized). */
export const ID_BODY_LENGTH = 27

/** sfc32 seeded through a string hash: fast, small, and good enough for realistic test data. */
export function seededRandom(seed: string | number): RandomSource {
  let a = 0x9e3779b9
  let b = 0x243f6a88
  let c = 0xb7e15162
  let d = 0
  for (const char of String(seed)) {
    d = Math.imul(d ^ char.charCodeAt(0), 0x5bd1e995)
    a = Math.imul(a ^ d, 0x27d4eb2d)
    b ^= a >>> 13
    c += b
  }
  const next = (): number => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (a + b + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  // Discard the warm-up outputs, which still echo the seed's structure.
  for (let i = 0; i < 12; i++) next()
  return next
}

/** Unpredictable floats from the OS, drawn in batches so minting ids stays cheap. */
export function cryptoRandom(): RandomSource {
  let pool = new Uint32Array(0)
  let index = 0
  return () => {
    if (index >= pool.length) {
      pool = new Uint32Array(randomBytes(4096).buffer)
      index = 0
    }
    return (pool[index++] as number) / 4294967296
  }
}

/** A Clerk-style id: `prefix_` followed by 27 base62 characters. */
export function mintId(prefix: string, random: RandomSource): string {
  let body = ''
  for (let i = 0; i < ID_BODY_LENGTH; i++) body += BASE62[Math.floor(random() * 62)]
  return `${prefix}_${body}`
}

/** The id Clerk puts in `clerk_trace_id`: 32 lowercase hex characters. */
export function mintTraceId(random: RandomSource): string {
  let trace = ''
  for (let i = 0; i < 32; i++) trace += Math.floor(random() * 16).toString(16)
  return trace
}

/** An integer in [min, max]. */
export function randomInt(random: RandomSource, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}

/** One element of a non-empty list. */
export function pick<T>(random: RandomSource, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick() needs at least one item')
  return items[Math.floor(random() * items.length)] as T
}

/** `count` distinct elements of a list (all of them when it is shorter), in random order. */
export function sample<T>(random: RandomSource, items: readonly T[], count: number): T[] {
  const pool = [...items]
  const chosen: T[] = []
  while (chosen.length < count && pool.length > 0) {
    chosen.push(pool.splice(randomInt(random, 0, pool.length - 1), 1)[0] as T)
  }
  return chosen
}
