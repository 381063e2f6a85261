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
  /** UTF-8 bytes of public+private+unsafe metadata together (what the 8 KB limit counts). */
  bytes: number
  /** UTF-8 bytes of `publicMetadata` alone (what session claims carry). */
  publicBytes?: number
  /** Session-claim budget (about 1.2 KB): above it, sign-in cookies may break. */
  sessionBudget: number
  /** Clerk's hard limit for all metadata together (8 KB). */
  limit: number
  /** `publicBytes` above `sessionBudget`. */
  overBudget: boolean
  /** `bytes` above `limit`. */
  overLimit: boolean
}

/** Which kind of Clerk subject an id names. */
export type SubjectKind = 'user' | 'organization'

/** A document type entitlements can grant, resolved (same shape as the plugin's option). */
export interface AccessGrantableType {
  type: string
  slugField: string
  metadataKey: string
}

/** The rules every computation, diff and size check reads. Build it with `resolveAccessRules`. */
export interface AccessRules {
  grantableTypes: AccessGrantableType[]
  /** When set, the owned keys live under `publicMetadata[namespace]` (and the plugin owns it all). */
  namespace: string | null
  /** Bytes of `publicMetadata` above which a warning is due (session-claim budget). */
  sessionBudgetBytes: number
  /** Bytes of public+private+unsafe metadata above which a write is refused. */
  limitBytes: number
}

/** A plan or role as the GROQ projection returns it (`plan->{key, rank}`). */
export interface RankedRef {
  key?: string | null
  rank?: number | null
}

/** A granted document as the projection returns it; `null` when the reference is unpublished. */
export interface GrantedDocument {
  _id?: string | null
  _type: string
  slug?: string | null
}

/** A published entitlement of one subject, exactly as the proxy's GROQ projection returns it. */
export interface EntitlementInput {
  _id: string
  title?: string | null
  clerkUserId?: string | null
  clerkOrganizationId?: string | null
  /**
   * An email address instead of an id: grants to the user who has it VERIFIED (normalized by
   * `normalizeEmail`). Nobody, while no Clerk user has verified it.
   */
  clerkEmail?: string | null
  plan?: RankedRef | null
  role?: RankedRef | null
  grants?: Array<GrantedDocument | null> | null
  validFrom?: string | null
  validUntil?: string | null
}

/** Bookkeeping written to `privateMetadata[SYNC_STAMP_KEY]` together with every sync write. */
export interface SyncStamp {
  /** `ACCESS_RULES_VERSION` that computed the metadata. */
  v: number
  /** `contentHash` of the owned metadata written. */
  hash: string
  /** ISO instant of the write. */
  syncedAt: string
  /** The proxy's id of the sync run that wrote it (in its log and its response), when recorded. */
  traceId?: string
  /**
   * The fencing token of the subject's lease under which it was written, when the proxy holds
   * leases. A proxy that read this record before taking the lease knows the record is still
   * current when its lease is the very next grant.
   */
  fence?: number
  /**
   * The ownership ledger: the owned public keys (relative to the namespace) that hold a value the
   * plugin wrote, sorted. A sync removes only keys listed here, so keys someone else put on a
   * user are left alone. Absent on stamps written before the ledger existed: those users were
   * synced by a version that owned every configured key (see `writtenKeysOf`).
   */
  writtenKeys?: string[]
}

/** The subset of Clerk's metadata the diff and size checks read. */
export interface ClerkMetadataState {
  publicMetadata?: Record<string, unknown> | null
  privateMetadata?: Record<string, unknown> | null
  unsafeMetadata?: Record<string, unknown> | null
}

/** The body of Clerk's PATCH metadata merge endpoint; `null` values delete. */
export interface MetadataPatch {
  publicMetadata?: Record<string, unknown>
  privateMetadata?: Record<string, unknown>
}
