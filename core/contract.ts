/**
 * The wire contract between the Studio plugin and the proxy: every route, its request and its
 * response. The proxy's route modules and the Studio's typed client both import from here, so a
 * change to a route is a type error on both sides.
 *
 * Types only (plus the route table): nothing here may pull server code into the Studio bundle.
 */
import type {AccessMetadata, DriftEntry, SizeReport, SubjectId} from './access/types'

/** Paths relative to the proxy's base URL. */
export const PROXY_ROUTES = {
  health: '/health',
  me: '/me',
  users: '/users',
  user: (id: string) => `/users/${id}`,
  organizations: '/organizations',
  organization: (id: string) => `/organizations/${id}`,
  sync: '/sync',
  webhook: '/webhook',
  /** Clerk's own events (Svix deliveries): sign-ups, verified addresses, deletions. */
  clerkWebhook: '/clerk-webhook',
  /** Clerk invitations to sign up, for email-addressed entitlements (`invite` permission). */
  invitations: '/invitations',
  invitationRevoke: (id: string) => `/invitations/${id}/revoke`,
  invitationResend: (id: string) => `/invitations/${id}/resend`,
  reconcile: '/reconcile',
  /** Validity sweep and due re-checks, for a scheduler (cron secret, not an editor token). */
  sweep: '/sweep',
  /** Published entitlements naming a user or organization that no longer exists in Clerk. */
  orphans: '/orphans',
} as const

/** Header the plugin sends with its version, for support. */
export const PLUGIN_VERSION_HEADER = 'x-sanity-plugin-clerk-version'

/** Every error the proxy returns has this body, with a matching HTTP status. */
export interface ProxyErrorBody {
  error: {
    /** Machine-readable, e.g. `unauthorized`, `forbidden`, `invalid_id`, `clerk_unavailable`. */
    code: string
    /** A sentence an editor can act on. Never contains a secret. */
    message: string
    /** Clerk's trace id when Clerk was involved. */
    clerkTraceId?: string
    /** Seconds, when the caller should retry later. */
    retryAfter?: number
  }
}

/**
 * What an editor may do through the proxy; the proxy maps Sanity roles to these
 * (`rolePermissions`, defaults in `proxy/auth/permissions.ts`).
 */
export type Permission = 'read' | 'search' | 'sync' | 'invite' | 'reconcile' | 'readPrivate'

/** Where a Clerk invitation stands; `expired` comes with time alone. */
export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired'

/**
 * A Clerk invitation as the Studio shows it. It carries no access: the entitlement addressed to
 * the same email is the truth, so nothing is put into the invitation's metadata.
 */
export interface InvitationSummary {
  id: string
  email: string
  status: InvitationStatus
  createdAt: number
  expiresAt: number | null
}

/** `GET /invitations?email=…`: the invitations of one address, newest first. */
export interface InvitationListResponse {
  data: InvitationSummary[]
}

/** `POST /invitations`: invite this address to sign up. */
export interface InviteRequest {
  email: string
}

/** `GET /me`: who the proxy thinks the caller is. */
export interface MeResponse {
  sanityUserId: string
  name: string
  roles: string[]
  permissions: Permission[]
}

export interface HealthResponse {
  ok: boolean
  version: string
}

/** A Clerk user as the picker and panel show it. */
export interface ClerkUserSummary {
  id: string
  name: string
  primaryEmail: string | null
  imageUrl: string | null
  banned: boolean
  locked: boolean
  createdAt: number
}

export interface ClerkOrganizationSummary {
  id: string
  name: string
  slug: string | null
  imageUrl: string | null
  membersCount: number | null
  createdAt: number
}

/** `GET /users?query=&limit=&offset=` and `GET /organizations?...`: one Clerk request each. */
export interface SearchResponse<T> {
  data: T[]
  /** True when Clerk returned a full page, so another page may exist. */
  hasMore: boolean
}

/** One published entitlement that contributes to a subject's access. */
export interface AccessSource {
  entitlementId: string
  title: string | null
  plan: string | null
  role: string | null
  /** Granted slugs per metadata key, e.g. `{courseSlugs: ['intro']}`. */
  grants: Record<string, string[]>
  validFrom: string | null
  validUntil: string | null
  /** Whether the validity window includes now. */
  active: boolean
}

export interface LastSync {
  at: string
  hash: string
  traceId: string | null
}

/** `GET /users/:id` and `GET /organizations/:id`: live Clerk state vs what Sanity says. */
export interface SubjectStatusResponse {
  subject: SubjectId
  /** `found` unless Clerk answered 404 (`deleted`). */
  status: 'found' | 'deleted'
  user?: ClerkUserSummary
  organization?: ClerkOrganizationSummary
  /** The keys the plugin owns, as Clerk holds them now. */
  clerk: {publicMetadata: AccessMetadata; privateMetadata?: Record<string, unknown>}
  /** What Sanity's published entitlements say those keys should be. */
  effective: {metadata: AccessMetadata; sources: AccessSource[]}
  /** For users: organizations they belong to and the access those carry. */
  organizations?: Array<{
    organization: ClerkOrganizationSummary
    role: string
    metadata: AccessMetadata
  }>
  drift: DriftEntry[]
  size: SizeReport
  lastSync: LastSync | null
}

/** `POST /sync`: recompute these subjects, or the subjects of a document (old and new). */
export interface SyncRequest {
  subjects?: SubjectId[]
  /** A published document id: its current subject is synced. */
  documentId?: string
  /**
   * The document's published `_rev` after the change (`null`: it was unpublished or deleted).
   * The proxy then never writes from a read of Sanity older than that revision.
   */
  documentRevision?: string | null
  /** Subjects the document had before this change (reassignment, unpublish, delete revoke them). */
  previousSubjects?: SubjectId[]
  /**
   * The address the document was addressed to before this change: the users who have it
   * verified are recomputed too, so changing or removing an entitlement's address revokes.
   */
  previousEmails?: string[]
}

export interface SubjectSyncResult {
  subject: SubjectId
  outcome: 'updated' | 'unchanged' | 'failed'
  /** The keys written, with `null` for keys removed. */
  changes: Record<string, unknown>
  size?: SizeReport
  /** The proxy's id of the sync run (also in the sync stamp and the proxy's log). */
  traceId?: string
  clerkTraceId?: string
  error?: ProxyErrorBody['error']
}

export interface SyncResponse {
  results: SubjectSyncResult[]
}

/** `POST /reconcile` body. The response is NDJSON: `ReconcileEvent` per line. */
export interface ReconcileRequest {
  dryRun: boolean
  /** Limit to users, organizations or both (default both). */
  kinds?: Array<'user' | 'organization'>
}

/** A published entitlement whose user or organization was deleted in Clerk. */
export interface OrphanedEntitlement {
  /** The published entitlement's id. */
  entitlementId: string
  title: string | null
  subject: SubjectId
  kind: 'user' | 'organization'
}

/** `GET /orphans`: every orphaned entitlement, asked live (nothing is stored per deletion). */
export interface OrphansResponse {
  orphans: OrphanedEntitlement[]
}

export type ReconcileEvent =
  | {type: 'start'; dryRun: boolean}
  | {
      type: 'progress'
      kind: 'user' | 'organization'
      scanned: number
      total: number | null
      drifted: number
      written: number
      failed: number
    }
  | {
      type: 'drift'
      subject: SubjectId
      /** The subject's name and primary email as Clerk has them (absent when Clerk has no record). */
      name?: string
      email?: string | null
      drift: DriftEntry[]
      applied: boolean
      error?: ProxyErrorBody['error']
    }
  | {type: 'done'; scanned: number; drifted: number; written: number; failed: number}
  /** The run stopped early (the stream ends after it); subjects already written stay written. */
  | {type: 'error'; error: ProxyErrorBody['error']}
