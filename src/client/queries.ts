import {
  type QueryClient,
  useMutation,
  useQuery,
  useQueryClient,
  type UseMutationResult,
  type UseQueryResult,
} from '@tanstack/react-query'

import type {SubjectId} from '../../core/access/types'
import {useClerkAccess} from './context'
import type {
  ClerkOrganizationSummary,
  ClerkUserSummary,
  MeResponse,
  OrphansResponse,
  Permission,
  SearchResponse,
  SubjectStatusResponse,
  SyncRequest,
  SyncResponse,
} from '../../core/contract'

/** Which Clerk collection a picker or list searches. */
export type SubjectKind = 'user' | 'organization'

/** A search hit of either kind, as the picker shows it. */
export type SubjectSummary = ClerkUserSummary | ClerkOrganizationSummary

/** React Query keys, one family per route, so invalidation can be precise. */
export const clerkQueryKeys = {
  all: ['sanity-plugin-clerk'] as const,
  me: () => [...clerkQueryKeys.all, 'me'] as const,
  search: (kind: SubjectKind, query: string, offset: number, limit: number) =>
    [...clerkQueryKeys.all, 'search', kind, query, offset, limit] as const,
  subjects: () => [...clerkQueryKeys.all, 'subject'] as const,
  subject: (subject: SubjectId) => [...clerkQueryKeys.subjects(), subject] as const,
  orphans: () => [...clerkQueryKeys.all, 'orphans'] as const,
}

/** `GET /orphans`: published entitlements naming a Clerk user or organization that is gone. */
export function useOrphanedEntitlements(): UseQueryResult<OrphansResponse> {
  const {client} = useClerkAccess()
  return useQuery({
    queryKey: clerkQueryKeys.orphans(),
    queryFn: ({signal}) => client.orphans({signal}),
  })
}

/** `GET /me`: who the proxy thinks the editor is, and what they may do. */
export function useProxyMe(): UseQueryResult<MeResponse> {
  const {client} = useClerkAccess()
  return useQuery({
    queryKey: clerkQueryKeys.me(),
    queryFn: ({signal}) => client.me({signal}),
    staleTime: 60_000,
  })
}

/**
 * Whether to offer a control that needs `permission`: false only once `GET /me` has answered
 * without it. While `/me` loads or fails the control stays on, because the proxy authorizes every
 * call anyway; this only spares editors a button that is bound to fail.
 */
export function useProxyPermits(permission: Permission): boolean {
  const me = useProxyMe()
  return !me.data || me.data.permissions.includes(permission)
}

/** Options of {@link useSubjectSearch}. */
export interface SubjectSearchOptions {
  offset?: number
  limit?: number
  enabled?: boolean
}

/** Searches Clerk users or organizations through the proxy. */
export function useSubjectSearch(
  kind: SubjectKind,
  query: string,
  {offset = 0, limit = 10, enabled = true}: SubjectSearchOptions = {},
): UseQueryResult<SearchResponse<SubjectSummary>> {
  const {client} = useClerkAccess()
  return useQuery<SearchResponse<SubjectSummary>>({
    queryKey: clerkQueryKeys.search(kind, query, offset, limit),
    queryFn: ({signal}) =>
      kind === 'user'
        ? client.searchUsers({query, offset, limit}, {signal})
        : client.searchOrganizations({query, offset, limit}, {signal}),
    enabled,
    placeholderData: (previous) => previous,
  })
}

/** Live Clerk state, effective access and drift of one subject; idle while `subject` is null. */
export function useSubjectStatus(
  subject: SubjectId | null,
  {enabled = true}: {enabled?: boolean} = {},
): UseQueryResult<SubjectStatusResponse> {
  const {client} = useClerkAccess()
  return useQuery({
    queryKey: clerkQueryKeys.subject(subject ?? ''),
    queryFn: ({signal}) => client.subjectStatus(subject!, {signal}),
    enabled: enabled && !!subject,
  })
}

/** `POST /sync`; on success the synced subjects' status is refetched. */
export function useSyncMutation(): UseMutationResult<SyncResponse, Error, SyncRequest> {
  const {client} = useClerkAccess()
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (request: SyncRequest) => client.sync(request),
    onSettled: (response, _error, request) =>
      invalidateSubjects(queryClient, [
        ...(request.subjects ?? []),
        ...(request.previousSubjects ?? []),
        ...(response?.results.map((result) => result.subject) ?? []),
      ]),
  })
}

/** Marks these subjects' status stale so panels and cards refetch it. */
export function invalidateSubjects(queryClient: QueryClient, subjects: Iterable<SubjectId>): void {
  for (const subject of new Set(subjects)) {
    void queryClient.invalidateQueries({queryKey: clerkQueryKeys.subject(subject)})
  }
}
