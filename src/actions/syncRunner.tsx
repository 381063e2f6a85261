import {useQueryClient, type QueryClient} from '@tanstack/react-query'
import {Button, Stack, Text} from '@sanity/ui'
import {useCallback} from 'react'

import type {SubjectSyncResult, SyncRequest} from '../../core/contract'
import {explainProxyError} from '../client/errors'
import {useClerkAccess} from '../client/context'
import type {ProxyClient} from '../client/proxyClient'
import {invalidateSubjects} from '../client/queries'
import {useToast, type ToastContextValue} from '../toast'
import {syncStatusStore, type SyncStatusStore} from './syncStatusStore'

/** Everything a sync needs, captured when the editor clicks (it may finish after unmount). */
export interface SyncRunnerDeps {
  proxy: ProxyClient
  hasToken: boolean
  toast: ToastContextValue
  queryClient: QueryClient
  store: SyncStatusStore
}

function describeValue(value: unknown): string {
  if (value === null) return 'removed'
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none'
  return String(value)
}

/** One line per subject: what changed in Clerk, or why it did not. */
export function describeResult(result: SubjectSyncResult): string {
  if (result.outcome === 'failed') {
    return `${result.subject}: failed, ${result.error?.message ?? 'no reason given'}`
  }
  const changes = Object.entries(result.changes)
  if (result.outcome === 'unchanged' || changes.length === 0)
    return `${result.subject}: already up to date`
  return `${result.subject}: ${changes.map(([key, value]) => `${key} → ${describeValue(value)}`).join('; ')}`
}

/**
 * Asks the proxy to recompute the subjects of `documentId` (and `previousSubjects`), records the
 * outcome for the badge and panel, and tells the editor with a toast (with Retry on failure).
 * Never throws: a failed sync must not look like a failed publish.
 */
export async function runClerkSync(
  deps: SyncRunnerDeps,
  documentId: string,
  request: SyncRequest,
): Promise<void> {
  const {proxy, toast, store} = deps
  store.set(documentId, {status: 'syncing', request})
  const toastId = `sanity-plugin-clerk-sync-${documentId}`
  try {
    const response = await proxy.sync(request)
    const failed = response.results.filter((r) => r.outcome === 'failed')
    const subjects = [
      ...(request.previousSubjects ?? []),
      ...response.results.map((r) => r.subject),
    ]
    invalidateSubjects(deps.queryClient, subjects)
    if (failed.length) {
      const first = failed[0]!
      const error = {
        kind: 'clerk' as const,
        title: 'Clerk refused part of the sync',
        description: response.results.map(describeResult).join('\n'),
        traceId: first.clerkTraceId ?? first.error?.clerkTraceId ?? null,
      }
      store.set(documentId, {status: 'failed', request, error, at: Date.now()})
      pushFailure(deps, toastId, documentId, request, error)
      return
    }
    store.set(documentId, {status: 'synced', request, response, at: Date.now()})
    toast.push({
      id: toastId,
      status: 'success',
      title: response.results.some((r) => r.outcome === 'updated')
        ? 'Clerk updated'
        : 'Clerk already up to date',
      description: (
        <Stack gap={2} data-testid="clerk-sync-toast">
          {response.results.length ? (
            response.results.map((result) => (
              <Text key={result.subject} size={1}>
                {describeResult(result)}
              </Text>
            ))
          ) : (
            <Text size={1}>No Clerk user or organization is affected.</Text>
          )}
          <Text size={1} muted>
            Signed-in users see the change after their session token refreshes (about 60 s).
          </Text>
        </Stack>
      ),
    })
  } catch (caught) {
    const error = explainProxyError(caught, {hasToken: deps.hasToken})
    store.set(documentId, {status: 'failed', request, error, at: Date.now()})
    pushFailure(deps, toastId, documentId, request, error)
  }
}

function pushFailure(
  deps: SyncRunnerDeps,
  toastId: string,
  documentId: string,
  request: SyncRequest,
  error: {title: string; description: string; traceId: string | null},
) {
  deps.toast.push({
    id: toastId,
    status: 'error',
    closable: true,
    duration: 30_000,
    title: `Clerk not updated: ${error.title}`,
    description: (
      <Stack gap={3} data-testid="clerk-sync-toast">
        <Text size={1} style={{whiteSpace: 'pre-line'}}>
          {error.description}
        </Text>
        {error.traceId ? (
          <Text size={1} muted>
            Clerk trace id: {error.traceId}
          </Text>
        ) : null}
        <Text size={1} muted>
          The document is saved. It stays marked out of sync until a retry or the webhook succeeds.
        </Text>
        <Button
          text="Retry"
          tone="primary"
          data-testid="clerk-sync-retry"
          onClick={() => void runClerkSync(deps, documentId, request)}
        />
      </Stack>
    ),
  })
}

/** Runs {@link runClerkSync} with this Studio's proxy, toasts, cache and the shared store. */
export function useRunClerkSync(): (documentId: string, request: SyncRequest) => Promise<void> {
  const {client: proxy, hasToken} = useClerkAccess()
  const toast = useToast()
  const queryClient = useQueryClient()
  return useCallback(
    (documentId, request) =>
      runClerkSync(
        {proxy, hasToken, toast, queryClient, store: syncStatusStore},
        documentId,
        request,
      ),
    [proxy, hasToken, toast, queryClient],
  )
}
