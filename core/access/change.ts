import {jsonEqual} from './hash'
import type {AccessMetadata, SubjectId} from './types'

/** One granted value: a plan or role key, or one granted slug under its metadata key. */
export interface AccessItem {
  /** The owned metadata key, e.g. `plan`, `role`, `courseSlugs`. */
  key: string
  /** The key's value (plan/role) or one slug of a list key. */
  value: string
}

/** A single-valued key (plan, role) that went from one value to another. */
export interface AccessSwitch {
  key: string
  from: string
  to: string
}

/**
 * What changed in one subject's effective access, in the terms editors think in: what they
 * gained, what they lost, and which plan or role switched. Empty lists mean no change.
 */
export interface AccessChange {
  subject: SubjectId
  gained: AccessItem[]
  lost: AccessItem[]
  switched: AccessSwitch[]
}

function valuesOf(value: unknown): string[] {
  if (value === null || value === undefined) return []
  if (Array.isArray(value)) return value.filter((v) => v !== null && v !== undefined).map(String)
  return [String(value)]
}

/**
 * Compares a subject's effective access before and after a change (both as the rules compute
 * it, so the answer is the same whichever process wrote Clerk). Single values that changed are
 * a switch; list keys give one item per slug gained or lost. Keys are visited in sorted order
 * and slugs keep their sorted order, so the result is deterministic.
 */
export function describeAccessChange(
  subject: SubjectId,
  before: AccessMetadata,
  after: AccessMetadata,
): AccessChange {
  const change: AccessChange = {subject, gained: [], lost: [], switched: []}
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  for (const key of keys) {
    const was = before[key]
    const is = after[key]
    if (jsonEqual(was, is)) continue
    const list = Array.isArray(was) || Array.isArray(is)
    const old = valuesOf(was)
    const now = valuesOf(is)
    if (!list && old.length === 1 && now.length === 1) {
      change.switched.push({key, from: old[0]!, to: now[0]!})
      continue
    }
    for (const value of now) if (!old.includes(value)) change.gained.push({key, value})
    for (const value of old) if (!now.includes(value)) change.lost.push({key, value})
  }
  return change
}

/** Whether {@link describeAccessChange} found anything. */
export function isNoChange(change: AccessChange): boolean {
  return !change.gained.length && !change.lost.length && !change.switched.length
}
