/**
 * JSON with object keys sorted at every depth, so equal values always serialize the same.
 * `undefined` object members are dropped, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value)) ?? 'null'
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep)
  if (!isPlainObject(value)) return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) sorted[key] = sortKeysDeep(value[key])
  }
  return sorted
}

/** A non-null, non-array object. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Structural equality of JSON values (object key order does not matter, array order does):
 * `canonicalJson(a) === canonicalJson(b)`, without serializing the arrays and plain objects a
 * diff compares for every subject of a reconcile.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false
    // By index, not `every`: that skips the holes of a sparse array, which JSON writes as null.
    for (let index = 0; index < a.length; index++) {
      if (!jsonEqual(a[index], b[index])) return false
    }
    return true
  }
  if (isPlainObject(a) && isPlainObject(b) && isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined)
    return (
      keys.length === Object.keys(b).filter((key) => b[key] !== undefined).length &&
      keys.every((key) => b[key] !== undefined && jsonEqual(a[key], b[key]))
    )
  }
  return canonicalJson(a) === canonicalJson(b)
}

/** A plain object JSON serializes member by member (no `toJSON`, like a `Date`'s). */
function isRecord(value: Record<string, unknown>): boolean {
  return typeof value.toJSON !== 'function'
}

/**
 * A short deterministic hash of a JSON value (cyrb53 over its canonical JSON, 14 hex digits).
 * Pure JS so it runs in the Studio, on edge runtimes and in Node alike; it detects change,
 * it is not a security boundary.
 */
export function contentHash(value: unknown): string {
  const text = canonicalJson(value)
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ code, 2654435761)
    h2 = Math.imul(h2 ^ code, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507)
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507)
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  const combined = 4294967296 * (2097151 & h2) + (h1 >>> 0)
  return combined.toString(16).padStart(14, '0')
}
