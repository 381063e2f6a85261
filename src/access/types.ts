/** A Clerk user id (`user_…`) or organization id (`org_…`). */
export type SubjectId = string

/**
 * The metadata values the plugin owns for one subject, keyed by their path in Clerk metadata,
 * e.g. `{plan: 'pro', role: 'editor', courseSlugs: ['intro']}`. A missing key means "not granted".
 */
export type AccessMetadata = Record<string, unknown>

/** One owned key whose value in Clerk differs from what Sanity computes. */
export interface DriftEntry {
  key: string
  clerk: unknown
  sanity: unknown
}

/** Serialized size of a subject's metadata against Clerk's limits. */
export interface SizeReport {
  bytes: number
  /** Session-claim budget (about 1.2 KB): above it, sign-in cookies may break. */
  sessionBudget: number
  /** Clerk's hard limit for all metadata together (8 KB). */
  limit: number
  overBudget: boolean
  overLimit: boolean
}
