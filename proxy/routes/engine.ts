import type {SubjectId} from '../../core/access'
import type {
  ClerkOrganizationSummary,
  ClerkUserSummary,
  ReconcileEvent,
  ReconcileRequest,
  SearchResponse,
  SubjectStatusResponse,
  SubjectSyncResult,
} from '../../core/contract'
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
  /** Recomputes each subject from its published entitlements and writes only the difference. */
  syncSubjects(subjects: SubjectId[]): Promise<SubjectSyncResult[]>
  /** The subjects a published document affects (an entitlement's subject, or those referencing it). */
  subjectsOfDocument(documentId: string): Promise<SubjectId[]>
  status(subject: SubjectId, options: {includePrivate: boolean}): Promise<SubjectStatusResponse>
  reconcile(request: ReconcileRequest & {signal?: AbortSignal}): AsyncIterable<ReconcileEvent>
  /**
   * Re-syncs the subjects whose entitlements' `validFrom`/`validUntil` passed since the previous
   * sweep (one GROQ query); the Node adapter runs it on a schedule so expiry needs no editor.
   */
  sweepValidity(): Promise<ValiditySweepRun>
  /** One Clerk request per search. */
  searchUsers(params: SearchParams): Promise<SearchResponse<ClerkUserSummary>>
  searchOrganizations(params: SearchParams): Promise<SearchResponse<ClerkOrganizationSummary>>
}
