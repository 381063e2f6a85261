/**
 * Metadata semantics shared by users, organizations and memberships: PATCH deep-merges (objects
 * recurse, `null` deletes at any depth, arrays and scalars replace), PUT replaces each supplied
 * field, and the combined size of all metadata fields is capped.
 */
import {paramError, paramInvalid} from './errors'

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject
export interface JsonObject {
  [key: string]: JsonValue
}

/** The metadata fields a resource may carry, in wire (snake_case) names. */
export type MetadataField = 'public_metadata' | 'private_metadata' | 'unsafe_metadata'

/** A metadata write: each supplied field is merged (PATCH) or replaced (PUT). */
export type MetadataUpdate = Partial<Record<MetadataField, JsonObject | null>>

/** The size rule for metadata, with the error it answers when broken. */
export interface MetadataLimit {
  /** Maximum bytes of the serialized metadata fields together. Default 8192 (Clerk's 8 KB). */
  bytes: number
  /** Error code of the 422. Default `form_param_exceeds_allowed_size` (Clerk's is undocumented). */
  code: string
  /** Error message of the 422. */
  message: string
}

export const DEFAULT_METADATA_LIMIT: MetadataLimit = {
  bytes: 8192,
  code: 'form_param_exceeds_allowed_size',
  message: 'Metadata exceeds the maximum allowed size of 8KB.',
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * RFC 7396 merge patch, which is what Clerk documents for metadata PATCH. Returns a new object;
 * neither argument is modified.
 */
export function deepMerge(target: JsonObject, patch: JsonObject): JsonObject {
  const merged: JsonObject = {...target}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete merged[key]
    } else if (isJsonObject(value)) {
      const current = merged[key]
      merged[key] = deepMerge(isJsonObject(current) ? current : {}, value)
    } else {
      merged[key] = value
    }
  }
  return merged
}

/**
 * Reads the metadata fields of a request body. PATCH (merge) refuses a top-level `null`, which
 * Clerk leaves undocumented, so a sync that sends one is caught; PUT stores it as documented.
 */
export function readMetadataUpdate(
  body: JsonObject,
  fields: readonly MetadataField[],
  mode: 'merge' | 'replace',
): MetadataUpdate {
  const update: MetadataUpdate = {}
  for (const field of fields) {
    if (!(field in body)) continue
    const value = body[field]
    if (value === null && mode === 'replace') {
      update[field] = null
    } else if (isJsonObject(value)) {
      update[field] = value
    } else {
      throw paramInvalid(field, `${field} must be a JSON object.`)
    }
  }
  return update
}

/** Applies an update to the current values and returns the new ones. */
export function applyMetadataUpdate(
  current: Partial<Record<MetadataField, JsonObject | null>>,
  update: MetadataUpdate,
  mode: 'merge' | 'replace',
): Partial<Record<MetadataField, JsonObject | null>> {
  const next = {...current}
  for (const [field, value] of Object.entries(update) as [MetadataField, JsonObject | null][]) {
    next[field] =
      mode === 'replace' || value === null ? value : deepMerge(current[field] ?? {}, value)
  }
  return next
}

/** Throws the configured 422 when the metadata fields together exceed the limit. */
export function assertMetadataSize(
  metadata: Partial<Record<MetadataField, JsonObject | null>>,
  limit: MetadataLimit,
): void {
  let bytes = 0
  let largest: MetadataField = 'public_metadata'
  let largestBytes = -1
  for (const [field, value] of Object.entries(metadata) as [MetadataField, JsonObject | null][]) {
    const size = Buffer.byteLength(JSON.stringify(value ?? {}))
    bytes += size
    if (size > largestBytes) [largest, largestBytes] = [field, size]
  }
  if (bytes > limit.bytes) {
    throw paramError(
      limit.code,
      largest,
      limit.message,
      `${limit.message} The metadata is ${bytes} bytes; the limit is ${limit.bytes} bytes.`,
    )
  }
}
