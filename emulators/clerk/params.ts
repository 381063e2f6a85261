/**
 * Reading and validating request input: query parameters (pagination, ordering, lists, flags) and
 * JSON body fields. Anything malformed becomes a Clerk-shaped 422 naming the parameter.
 */
import {paramInvalid, paramMissing, paramUnknown} from './errors'
import {isJsonObject, type JsonObject} from './metadata'
import type {Page, SortOrder} from './store'

const DEFAULT_LIMIT = 10
const MAX_LIMIT = 500

/** Values of a repeated parameter (`a=1&a=2`, also `a[]=1`); undefined when absent. */
export function readList(query: URLSearchParams, name: string): string[] | undefined {
  const values = [...query.getAll(name), ...query.getAll(`${name}[]`)]
  return values.length > 0 ? values : undefined
}

/** Clerk's cap on the values of one exact list filter (`user_id`, `email_address`, …). */
export const MAX_FILTER_VALUES = 100

/**
 * A repeated list filter, which Clerk's spec says "accepts up to 100" values: more is a 422
 * naming the parameter (never a silently shortened filter, which would answer for other ids).
 */
export function readFilterList(query: URLSearchParams, name: string): string[] | undefined {
  const values = readList(query, name)
  if (values && values.length > MAX_FILTER_VALUES) {
    throw paramInvalid(
      name,
      `${name} accepts up to ${MAX_FILTER_VALUES} values; this request has ${values.length}.`,
    )
  }
  return values
}

export function readString(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name)
  return value === null || value === '' ? undefined : value
}

export function readBoolean(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name)
  if (value === null) return undefined
  if (value === 'true' || value === 'false') return value === 'true'
  throw paramInvalid(name, `${name} must be true or false.`)
}

export function readInteger(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name)
  if (value === null) return undefined
  if (!/^-?\d+$/.test(value)) throw paramInvalid(name, `${name} must be an integer.`)
  return Number(value)
}

/**
 * `limit` (default 10, 1–500) and `offset` (default 0). A limit above 500 falls back to the
 * default, as Clerk has been reported to do, rather than failing.
 */
export function readPage(query: URLSearchParams): Page {
  const limit = readInteger(query, 'limit') ?? DEFAULT_LIMIT
  const offset = readInteger(query, 'offset') ?? 0
  if (limit < 1) throw paramInvalid('limit', 'limit must be at least 1.')
  if (offset < 0) throw paramInvalid('offset', 'offset must be zero or greater.')
  return {limit: limit > MAX_LIMIT ? DEFAULT_LIMIT : limit, offset}
}

/** `order_by=-created_at`: no prefix means ascending; only the first value counts. */
export function readOrder<Key extends string>(
  query: URLSearchParams,
  allowed: readonly Key[],
  fallback: SortOrder<Key>,
): SortOrder<Key> {
  const value = query.get('order_by')
  if (!value) return fallback
  const descending = value.startsWith('-')
  const key = value.replace(/^[+-]/, '')
  if (!(allowed as readonly string[]).includes(key)) {
    throw paramInvalid('order_by', `order_by must be one of ${allowed.join(', ')}.`)
  }
  return {key: key as Key, descending}
}

export type FieldKind = 'string' | 'boolean' | 'integer' | 'string[]' | 'object'

function hasKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string')
    case 'object':
      return isJsonObject(value)
    case 'integer':
      return Number.isInteger(value)
    default:
      return typeof value === kind
  }
}

/**
 * Checks a body against the fields a route accepts: unknown fields, wrong types and missing
 * required fields are 422s. `null` is accepted for optional fields (Clerk marks most nullable).
 */
export function validateBody<T>(
  body: JsonObject,
  fields: Record<string, FieldKind>,
  required: readonly string[] = [],
): T {
  for (const name of required) {
    if (body[name] === undefined || body[name] === null) throw paramMissing(name)
  }
  for (const [name, value] of Object.entries(body)) {
    const kind = fields[name]
    if (!kind) throw paramUnknown(name)
    if (value !== null && !hasKind(value, kind)) {
      throw paramInvalid(name, `${name} must be of type ${kind}.`)
    }
  }
  return body as T
}

/** An RFC 3339 date from a body (`created_at`) as epoch milliseconds. */
export function readTimestamp(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null) return undefined
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN
  if (Number.isNaN(time)) throw paramInvalid(name, `${name} must be an RFC 3339 date-time.`)
  return time
}
