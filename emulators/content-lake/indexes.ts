/**
 * Indexes over the stored documents, updated on every write (the store calls `update` for each
 * document a commit changes), so the query planner can narrow a scan to a few candidates:
 *
 * - by top-level scalar field value (`_type` always; other fields from the first query that
 *   compares them, then kept up to date like the rest),
 * - by family: the published id and its `drafts.` / `versions.<release>.` ids,
 * - by reference: every `_ref` string anywhere in a document (for `a.b._ref == c`), and which
 *   of those `references()` sees,
 * - all ids in sorted order (for `_id` ranges and `order(_id asc)` pages).
 *
 * The field and `references()` lookups give exactly the documents for which GROQ's `==` (with a
 * string, number or boolean) and `references()` are true; the planner relies on that to skip
 * evaluating those conditions again.
 */
import {idOf} from './fields'
import {publishedIdOf} from './groq'
import type {LakeDocument} from './types'

/** The index key of a value `==` can match exactly: strings, numbers and booleans. */
export function scalarKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return `s:${value}`
    case 'number':
      return Number.isFinite(value) ? `n:${value}` : undefined
    case 'boolean':
      return `b:${value}`
    default:
      return undefined
  }
}

/** The `_ref` strings of a value: every one, however deep, and those `references()` sees. */
interface References {
  all: Set<string>
  seen: Set<string>
}

/**
 * Collects a value's `_ref` strings. groq-js's `references()` stops at an object with a truthy
 * `_ref` (string or not) and does not look inside it; `seen` stays false below such an object.
 */
function referencesIn(value: unknown, into: References, seen = true): References {
  if (Array.isArray(value)) {
    for (const item of value) referencesIn(item, into, seen)
  } else if (value !== null && typeof value === 'object') {
    const {_ref: ref} = value as {_ref?: unknown}
    for (const [key, item] of Object.entries(value)) {
      if (key !== '_ref') referencesIn(item, into, seen && !ref)
      else if (typeof item === 'string') {
        into.all.add(item)
        if (seen) into.seen.add(item)
      }
    }
  }
  return into
}

function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  let ids = map.get(key)
  if (!ids) map.set(key, (ids = new Set()))
  ids.add(id)
}

function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const ids = map.get(key)
  if (!ids) return
  ids.delete(id)
  if (ids.size === 0) map.delete(key)
}

const EMPTY: ReadonlySet<string> = new Set()

/** First position in a sorted array whose entry is not below `id` (or above it, `after`). */
export function lowerBound(sorted: readonly string[], id: string, after = false): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    const entry = sorted[middle] as string
    if (entry < id || (after && entry === id)) low = middle + 1
    else high = middle
  }
  return low
}

export class DocumentIndexes {
  private readonly documents: ReadonlyMap<string, LakeDocument>
  private readonly fields = new Map<string, Map<string, Set<string>>>()
  private readonly families = new Map<string, Set<string>>()
  private readonly references = new Map<string, Set<string>>()
  private readonly referencesOf = new Map<string, Set<string>>()
  /** What `references()` sees of the (rare) documents holding `_ref`s it does not see. */
  private readonly hiddenReferences = new Map<string, Set<string>>()
  private readonly ids: string[]

  /** Indexes `documents` (the store's live map) as they are now. */
  constructor(documents: ReadonlyMap<string, LakeDocument>) {
    this.documents = documents
    this.fields.set('_type', new Map())
    for (const [id, document] of documents) this.add(id, document)
    this.ids = [...documents.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  }

  /** Records that `id` changed from `before` to `after` (either may be missing). */
  update(id: string, before: LakeDocument | undefined, after: LakeDocument | undefined): void {
    if (before) this.remove(id, before)
    if (after) this.add(id, after)
    if (!before && after) this.ids.splice(lowerBound(this.ids, id), 0, id)
    if (before && !after) {
      const at = lowerBound(this.ids, id)
      if (this.ids[at] === id) this.ids.splice(at, 1)
    }
  }

  /** Ids whose top-level `field` equals the value with this `scalarKey`. */
  byField(field: string, key: string): ReadonlySet<string> {
    return this.fieldIndex(field).get(key) ?? EMPTY
  }

  /** The stored ids of a published id's family (itself, its draft, its versions). */
  family(publishedId: string): ReadonlySet<string> {
    return this.families.get(publishedId) ?? EMPTY
  }

  /** Ids of documents holding `_ref: target` somewhere. */
  referencing(target: string): ReadonlySet<string> {
    return this.references.get(target) ?? EMPTY
  }

  /** Ids of the documents for which `references(target)` is true. */
  referencedBy(target: string): ReadonlySet<string> {
    const ids = this.referencing(target)
    let seen: Set<string> | undefined
    for (const [id, visible] of this.hiddenReferences) {
      if (ids.has(id) && !visible.has(target)) (seen ??= new Set(ids)).delete(id)
    }
    return seen ?? ids
  }

  /** Every stored id, sorted the way GROQ compares strings. */
  sortedIds(): readonly string[] {
    return this.ids
  }

  private fieldIndex(field: string): Map<string, Set<string>> {
    let index = this.fields.get(field)
    if (!index) {
      // First query on this field: index it now; `add`/`remove` keep it current from here on.
      index = new Map()
      this.fields.set(field, index)
      for (const [id, document] of this.documents) {
        const key = scalarKey(document[field])
        if (key !== undefined) addTo(index, key, id)
      }
    }
    return index
  }

  private add(id: string, document: LakeDocument): void {
    for (const [field, index] of this.fields) {
      const key = scalarKey(document[field])
      if (key !== undefined) addTo(index, key, id)
    }
    addTo(this.families, publishedIdOf(idOf(document)), id)
    const targets = referencesIn(document, {all: new Set(), seen: new Set()})
    for (const target of targets.all) addTo(this.references, target, id)
    if (targets.all.size > 0) this.referencesOf.set(id, targets.all)
    if (targets.seen.size < targets.all.size) this.hiddenReferences.set(id, targets.seen)
  }

  private remove(id: string, document: LakeDocument): void {
    for (const [field, index] of this.fields) {
      const key = scalarKey(document[field])
      if (key !== undefined) removeFrom(index, key, id)
    }
    removeFrom(this.families, publishedIdOf(idOf(document)), id)
    for (const target of this.referencesOf.get(id) ?? []) removeFrom(this.references, target, id)
    this.referencesOf.delete(id)
    this.hiddenReferences.delete(id)
  }
}
