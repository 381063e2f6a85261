/**
 * Sanity's system fields (`_id`, `_rev`, …), read in one place: the lint rules forbid member
 * access on underscore names, and destructuring keeps the call sites readable.
 */

export function idOf<T extends {_id?: unknown}>(document: T): T['_id']
export function idOf<T extends {_id?: unknown}>(
  document: T | null | undefined,
): T['_id'] | undefined
export function idOf<T extends {_id?: unknown}>(document: T | null | undefined) {
  if (!document) return undefined
  const {_id} = document
  return _id
}

export function revOf(document: {_rev?: unknown} | null | undefined): string | undefined {
  if (!document) return undefined
  const {_rev} = document
  return typeof _rev === 'string' ? _rev : undefined
}

export function typeOf(document: {_type?: unknown} | null | undefined): unknown {
  if (!document) return undefined
  const {_type} = document
  return _type
}

export function createdAtOf(
  document: {_createdAt?: unknown} | null | undefined,
): string | undefined {
  if (!document) return undefined
  const {_createdAt} = document
  return typeof _createdAt === 'string' ? _createdAt : undefined
}

export function keyOf(item: {_key?: unknown}): unknown {
  const {_key} = item
  return _key
}
