import {isPlainObject, jsonEqual} from './hash'
import {ownedKeys} from './rules'
import type {
  AccessMetadata,
  AccessRules,
  ClerkMetadataState,
  DriftEntry,
  MetadataPatch,
  SyncStamp,
} from './types'

/** Key of the sync stamp in `privateMetadata`. */
export const SYNC_STAMP_KEY = 'sanityClerkSync'

/**
 * The owned keys as Clerk holds them now, flat (`{plan, role, courseSlugs}`). With a namespace
 * the plugin owns everything under it, so every key there is returned.
 */
export function ownedPublicMetadata(
  publicMetadata: Record<string, unknown> | null | undefined,
  rules: AccessRules,
): AccessMetadata {
  const source = publicMetadata ?? {}
  if (rules.namespace !== null) {
    const namespaced = source[rules.namespace]
    return isPlainObject(namespaced) ? {...namespaced} : {}
  }
  const owned: AccessMetadata = {}
  for (const key of ownedKeys(rules)) {
    if (source[key] !== undefined) owned[key] = source[key]
  }
  return owned
}

/** What {@link diffAccess} returns: the PATCH body to send (empty when nothing differs). */
export interface AccessDiff {
  patch: MetadataPatch
  drift: DriftEntry[]
}

/**
 * The owned keys the plugin may remove from this subject: those its stamp says it wrote.
 *
 * - No stamp: the plugin never wrote to this subject, so it may remove nothing.
 * - A stamp with a ledger (`writtenKeys`): exactly those keys.
 * - A stamp without a ledger (written before the ledger existed): that version removed every
 *   owned key it did not grant on its first write, so whatever an owned key holds now, it wrote
 *   or took over then: every configured key, and every key under the namespace.
 */
export function writtenKeysOf(current: ClerkMetadataState, rules: AccessRules): Set<string> {
  const stamp = readSyncStamp(current.privateMetadata)
  if (!stamp) return new Set()
  if (stamp.writtenKeys) return new Set(stamp.writtenKeys)
  return new Set([
    ...ownedKeys(rules),
    ...Object.keys(ownedPublicMetadata(current.publicMetadata, rules)),
  ])
}

/**
 * Compares Clerk's current owned keys with the desired ones and builds the PATCH merge body that
 * turns one into the other: changed keys get their new value; keys nothing grants any more get
 * `null`, but only when the plugin's ledger says it wrote them ({@link writtenKeysOf}); keys owned
 * by anyone else are never mentioned. So a subject the plugin never wrote to is left untouched
 * until the content grants it something. When there is drift and a `stamp` is given, the stamp
 * rides along in `privateMetadata` with the updated ledger. No drift → empty patch (send nothing).
 */
export function diffAccess(
  current: ClerkMetadataState,
  desired: AccessMetadata,
  rules: AccessRules,
  options: {stamp?: Omit<SyncStamp, 'writtenKeys'>} = {},
): AccessDiff {
  const namespace = rules.namespace
  const held = ownedPublicMetadata(current.publicMetadata, rules)
  const written = writtenKeysOf(current, rules)
  const keys = new Set(ownedKeys(rules))
  if (namespace !== null) for (const key of Object.keys(held)) keys.add(key)
  const drift: DriftEntry[] = []
  const changes: Record<string, unknown> = {}
  for (const key of [...keys].sort()) {
    const clerkValue = held[key] ?? null
    const sanityValue = desired[key] ?? null
    if (jsonEqual(clerkValue, sanityValue)) continue
    // Nothing grants this key, and the plugin never wrote it: someone else's, leave it.
    if (sanityValue === null && !written.has(key)) continue
    drift.push({
      key: namespace === null ? key : `${namespace}.${key}`,
      clerk: clerkValue,
      sanity: sanityValue,
    })
    changes[key] = sanityValue
  }
  const granted = Object.keys(desired).length > 0
  const rawNamespace = namespace === null ? undefined : current.publicMetadata?.[namespace]
  const namespaceIsForeignValue =
    rawNamespace !== undefined && rawNamespace !== null && !isPlainObject(rawNamespace)
  if (namespace !== null && namespaceIsForeignValue && granted) {
    // Something that is not an object sits where our namespace belongs and the content grants
    // something: the namespace is configured as ours, so replace it outright.
    drift.unshift({key: namespace, clerk: rawNamespace, sanity: desired})
  }
  if (drift.length === 0) return {patch: {}, drift}

  const after = {...held, ...changes}
  const remaining = Object.keys(after).filter((key) => after[key] !== null)
  let publicMetadata: Record<string, unknown>
  if (namespace === null) {
    publicMetadata = changes
  } else if (remaining.length === 0) {
    publicMetadata = {[namespace]: null}
  } else if (namespaceIsForeignValue) {
    publicMetadata = {[namespace]: {...desired}}
  } else {
    publicMetadata = {[namespace]: changes}
  }
  const patch: MetadataPatch = {publicMetadata}
  if (options.stamp) {
    // The ledger after this write: keys the plugin wrote a value to, minus those it removed or
    // that someone else removed meanwhile; keys outside this diff (no longer configured) are kept.
    const ledger = new Set([...written].filter((key) => !keys.has(key)))
    for (const key of keys) {
      const wroteIt = written.has(key) || Object.hasOwn(changes, key)
      if (wroteIt && after[key] !== null && after[key] !== undefined) ledger.add(key)
    }
    patch.privateMetadata = {
      [SYNC_STAMP_KEY]: {...options.stamp, writtenKeys: [...ledger].sort()},
    }
  }
  return {patch, drift}
}

/** Whether a patch would write anything. */
export function isEmptyPatch(patch: MetadataPatch): boolean {
  return patch.publicMetadata === undefined && patch.privateMetadata === undefined
}

/**
 * The keys a patch writes, flat and relative to the namespace, with `null` for removals: what a
 * sync result reports as `changes`.
 */
export function changesOf(drift: readonly DriftEntry[]): Record<string, unknown> {
  return Object.fromEntries(drift.map((entry) => [entry.key, entry.sanity]))
}

/**
 * Applies a JSON merge patch the way Clerk's PATCH metadata endpoint does: objects merge
 * recursively, `null` deletes, arrays and scalars replace. Returns a new value.
 */
export function applyMergePatch(
  target: Record<string, unknown> | null | undefined,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const result: Record<string, unknown> = {...target}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key]
    else if (isPlainObject(value)) {
      const existing = result[key]
      result[key] = applyMergePatch(isPlainObject(existing) ? existing : {}, value)
    } else if (value !== undefined) result[key] = value
  }
  return result
}

/** Clerk's metadata after a PATCH merge with `patch`. */
export function applyMetadataPatch(
  current: ClerkMetadataState,
  patch: MetadataPatch,
): Required<{[K in keyof ClerkMetadataState]: Record<string, unknown>}> {
  return {
    publicMetadata: patch.publicMetadata
      ? applyMergePatch(current.publicMetadata, patch.publicMetadata)
      : {...current.publicMetadata},
    privateMetadata: patch.privateMetadata
      ? applyMergePatch(current.privateMetadata, patch.privateMetadata)
      : {...current.privateMetadata},
    unsafeMetadata: {...current.unsafeMetadata},
  }
}

/** The sync stamp in `privateMetadata`, or `null` when absent or malformed. */
export function readSyncStamp(
  privateMetadata: Record<string, unknown> | null | undefined,
): SyncStamp | null {
  const stamp = privateMetadata?.[SYNC_STAMP_KEY]
  if (!isPlainObject(stamp)) return null
  const {v, hash, syncedAt, writtenKeys, traceId: trace, fence: token} = stamp
  if (typeof v !== 'number' || typeof hash !== 'string' || typeof syncedAt !== 'string') return null
  const traceId = typeof trace === 'string' && trace ? {traceId: trace} : {}
  const fence = Number.isSafeInteger(token) ? {fence: token as number} : {}
  if (writtenKeys === undefined) return {v, hash, syncedAt, ...traceId, ...fence}
  // A ledger that is not a list of keys proves ownership of nothing.
  const keys = Array.isArray(writtenKeys)
    ? writtenKeys.filter((key): key is string => typeof key === 'string')
    : []
  return {v, hash, syncedAt, ...traceId, ...fence, writtenKeys: keys}
}
