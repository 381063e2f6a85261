import type {SubjectId} from '../../src/access'
import type {
  ClerkOrganizationSummary,
  ClerkUserSummary,
  ReconcileEvent,
  ReconcileRequest,
  SearchResponse,
  SubjectStatusResponse,
  SubjectSyncResult,
} from '../../src/client/contract'

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
  /** One Clerk request per search. */
  searchUsers(params: SearchParams): Promise<SearchResponse<ClerkUserSummary>>
  searchOrganizations(params: SearchParams): Promise<SearchResponse<ClerkOrganizationSummary>>
}
