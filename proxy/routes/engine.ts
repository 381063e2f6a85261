import type {SubjectId} from '../../core/access'
import type {
  ClerkOrganizationSummary,
  ClerkUserSummary,
  InvitationSummary,
  OrphanedEntitlement,
  ReconcileEvent,
  ReconcileRequest,
  SearchResponse,
  SubjectStatusResponse,
  SubjectSyncResult,
  SyncRequest,
} from '../../core/contract'
import type {SyncSubjectsOptions} from '../sync/engine'
import type {ValiditySweepRun} from '../sync/validity'

export interface SearchParams {
  query: string
  limit: number
  offset: number
}

/**
 * What the routes need from the sync engine and the Clerk gateway. `createClerkProxy` builds it
 * from `proxy/sync`; routes only ever see this interface.
 */
export interface ProxyEngine {
  /**
   * Recomputes each subject from its published entitlements and writes only the difference; with
   * a `revision`, never from a read older than it.
   */
  syncSubjects(subjects: SubjectId[], options?: SyncSubjectsOptions): Promise<SubjectSyncResult[]>
  /**
   * The subjects a published document affects (an entitlement's subject, or those referencing
   * it), read no older than `rev` when given (`null`: the document is gone).
   */
  subjectsOfDocument(documentId: string, rev?: string | null): Promise<SubjectId[]>
  /** The users who have any of these (normalized) addresses verified. */
  usersWithVerified(emails: readonly string[]): Promise<SubjectId[]>
  /**
   * `POST /sync`: the named subjects and those the document names now, in ONE Sanity query when
   * the document names no subject the request did not.
   */
  syncChange(change: SyncRequest): Promise<SubjectSyncResult[]>
  status(subject: SubjectId, options: {includePrivate: boolean}): Promise<SubjectStatusResponse>
  /** Published entitlements naming a Clerk user or organization that no longer exists. */
  orphans(): Promise<OrphanedEntitlement[]>
  reconcile(request: ReconcileRequest & {signal?: AbortSignal}): AsyncIterable<ReconcileEvent>
  /**
   * Re-syncs the subjects whose entitlements' `validFrom`/`validUntil` passed since the stored
   * cursor (one GROQ query), then the due re-checks; the Node adapter runs it on a timer, a
   * scheduler calls `/sweep` elsewhere.
   */
  sweepValidity(): Promise<ValiditySweepRun>
  /** One Clerk request per search. */
  searchUsers(params: SearchParams): Promise<SearchResponse<ClerkUserSummary>>
  searchOrganizations(params: SearchParams): Promise<SearchResponse<ClerkOrganizationSummary>>
  /** A Clerk invitation to sign up, landing on the configured `invitationRedirectUrl`. */
  invite(email: string): Promise<InvitationSummary>
  invitationsOf(email: string): Promise<InvitationSummary[]>
  revokeInvitation(invitationId: string): Promise<InvitationSummary>
}
