/**
 * What every table of the emulator's store shares: the id source, the clock, the metadata size
 * rule, the avatar origin and one creation sequence (ties in creation time sort by it), plus
 * the helpers that keep stored objects frozen snapshots.
 */
import type {JsonObject, MetadataField, MetadataLimit} from './metadata'
import type {RandomSource} from './random'

export interface StoreContext {
  readonly random: RandomSource
  readonly now: () => number
  readonly metadataLimit: MetadataLimit
  /** Origin that serves avatars; the server sets it once it knows its port. */
  imageOrigin: string
  /** Next value of the creation sequence shared by all tables. */
  nextSeq(): number
}

/** A page request. */
export interface Page {
  limit: number
  offset: number
}

/** `order` is a sort key with an optional `+`/`-` prefix. */
export interface SortOrder<Key extends string> {
  key: Key
  descending: boolean
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

/** The metadata fields a resource accepts, out of a request's update. */
export function pickMetadata(
  source: Partial<Record<MetadataField, JsonObject | null>>,
  fields: readonly MetadataField[],
): Partial<Record<MetadataField, JsonObject | null>> {
  const picked: Partial<Record<MetadataField, JsonObject | null>> = {}
  for (const field of fields) if (field in source) picked[field] = source[field] ?? null
  return picked
}
