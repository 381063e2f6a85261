import {useQueryClient, type QueryClient} from '@tanstack/react-query'
import {Button, Stack, Text} from '@sanity/ui'
import {useCallback} from 'react'
import type {SanityClient, SanityDocument} from 'sanity'

import type {AccessRules, SubjectId} from '../../core/access'
import type {SubjectSyncResult, SyncRequest, SyncResponse} from '../../core/contract'
import {explainProxyError} from '../client/errors'
import {useClerkAccess} from '../client/context'
import type {ProxyClient} from '../client/proxyClient'
import {clerkQueryKeys, invalidateSubjects} from '../client/queries'
import {useClerkTranslation, type ClerkT} from '../i18n'
import {useStudioClient} from '../studioClient'
import {accessOutcomeOf} from './accessOutcome'
import {describeChanges} from './outcomeText'
import {useToast, type ToastContextValue} from '../toast'
import {syncStatusStore, type SyncStatusStore} from './syncStatusStore'

/** Everything a sync needs, captured when the editor clicks (it may finish after unmount). */
export interface SyncRunnerDeps {
  proxy: ProxyClient
  hasToken: boolean
  toast: ToastContextValue
  queryClient: QueryClient
  store: SyncStatusStore
  /** Reads the published entitlements around the change, to say what changed for whom. */
  sanity: SanityClient
  rules: AccessRules
  t: ClerkT
}

function describeValue(t: ClerkT, value: unknown): string {
  if (value === null) return t('result.removed')
  if (Array.isArray(value)) return value.length ? value.join(', ') : t('result.none')
  return String(value)
}

/** One line per subject: what changed in Clerk, or why it did not. */
export function describeResult(t: ClerkT, result: SubjectSyncResult): string {
  const {subject} = result
  if (result.outcome === 'failed') {
    return t('result.failed', {subject, reason: result.error?.message ?? t('result.no-reason')})
  }
  const changes = Object.entries(result.changes)
  if (result.outcome === 'unchanged' || changes.length === 0)
    return t('result.unchanged', {subject})
  const described = changes.map(([key, value]) => `${key} → ${describeValue(t, value)}`)
  return t('result.updated', {subject, changes: described.join('; ')})
}

async function subjectName(deps: SyncRunnerDeps, subject: SubjectId): Promise<string | null> {
  const status = await deps.queryClient.fetchQuery({
    queryKey: clerkQueryKeys.subject(subject),
    queryFn: ({signal}) => deps.proxy.subjectStatus(subject, {signal}),
  })
  return status.user?.name || status.user?.primaryEmail || status.organization?.name || null
}

/**
 * What the toast says after a successful sync: one sentence per subject whose effective access
 * changed, by name. `before` is the published document before the editor's change (`undefined`
 * for a plain "sync now", where content did not change). If the lake cannot be read, it falls
 * back to the proxy's own per-subject lines.
 */
async function successMessage(
  deps: SyncRunnerDeps,
  documentId: string,
  response: SyncResponse,
  before: SanityDocument | null | undefined,
): Promise<{title: string; lines: string[]}> {
  const {t} = deps
  const written = response.results.filter((r) => r.outcome === 'updated')
  try {
    const unchanged = before === undefined
    const outcome = await accessOutcomeOf(deps.sanity, deps.rules, {
      documentId,
      before: unchanged ? ((await deps.sanity.getDocument(documentId)) ?? null) : before,
      extraSubjects: response.results.map((r) => r.subject),
      resolveName: (subject) => subjectName(deps, subject),
    })
    const lines = describeChanges(t, outcome.changes, outcome.labels)
    if (lines.length) return {title: t('outcome.title.updated'), lines}
    if (written.length) {
      const names = written.map((r) => outcome.labels.subjects[r.subject] ?? r.subject)
      return {title: t('outcome.title.repaired'), lines: [t('outcome.repaired', {names})]}
    }
    return {
      title: t('outcome.title.unchanged'),
      lines: [
        outcome.changes.length || response.results.length
          ? t('outcome.no-access-change')
          : t('outcome.nobody'),
      ],
    }
  } catch {
    return {
      title: written.length ? t('outcome.title.updated') : t('outcome.title.unchanged'),
      lines: response.results.length
        ? response.results.map((r) => describeResult(t, r))
        : [t('outcome.nobody')],
    }
  }
}

/**
 * Asks the proxy to recompute the subjects of `documentId` (and `previousSubjects`), records the
 * outcome for the badge and panel, and tells the editor with a toast (with Retry on failure)
 * what changed for whom. Never throws: a failed sync must not look like a failed publish.
 */
export async function runClerkSync(
  deps: SyncRunnerDeps,
  documentId: string,
  request: SyncRequest,
  before?: SanityDocument | null,
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
        title: deps.t('failure.refused'),
        description: response.results.map((r) => describeResult(deps.t, r)).join('\n'),
        traceId: first.clerkTraceId ?? first.error?.clerkTraceId ?? null,
      }
      store.set(documentId, {status: 'failed', request, error, at: Date.now()})
      pushFailure(deps, toastId, documentId, request, error, before)
      return
    }
    store.set(documentId, {status: 'synced', request, response, at: Date.now()})
    const message = await successMessage(deps, documentId, response, before)
    toast.push({
      id: toastId,
      status: 'success',
      title: message.title,
      description: (
        <Stack gap={2} data-testid="clerk-sync-toast">
          {message.lines.map((line) => (
            <Text key={line} size={1}>
              {line}
            </Text>
          ))}
          <Text size={1} muted>
            {deps.t('outcome.session-note')}
          </Text>
        </Stack>
      ),
    })
  } catch (caught) {
    const error = explainProxyError(caught, {hasToken: deps.hasToken, t: deps.t})
    store.set(documentId, {status: 'failed', request, error, at: Date.now()})
    pushFailure(deps, toastId, documentId, request, error, before)
  }
}

function pushFailure(
  deps: SyncRunnerDeps,
  toastId: string,
  documentId: string,
  request: SyncRequest,
  error: {title: string; description: string; traceId: string | null},
  before: SanityDocument | null | undefined,
) {
  deps.toast.push({
    id: toastId,
    status: 'error',
    closable: true,
    duration: 30_000,
    title: deps.t('failure.title', {reason: error.title}),
    description: (
      <Stack gap={3} data-testid="clerk-sync-toast">
        <Text size={1} style={{whiteSpace: 'pre-line'}}>
          {error.description}
        </Text>
        {error.traceId ? (
          <Text size={1} muted>
            {deps.t('panel.trace-id', {traceId: error.traceId})}
          </Text>
        ) : null}
        <Text size={1} muted>
          {deps.t('failure.saved-note')}
        </Text>
        <Button
          text={deps.t('failure.retry')}
          tone="primary"
          data-testid="clerk-sync-retry"
          onClick={() => void runClerkSync(deps, documentId, request, before)}
        />
      </Stack>
    ),
  })
}

/** Runs {@link runClerkSync} with this Studio's proxy, toasts, cache and the shared store. */
export function useRunClerkSync(): (
  documentId: string,
  request: SyncRequest,
  before?: SanityDocument | null,
) => Promise<void> {
  const {client: proxy, hasToken, config} = useClerkAccess()
  const toast = useToast()
  const queryClient = useQueryClient()
  const sanity = useStudioClient()
  const {t} = useClerkTranslation()
  return useCallback(
    (documentId, request, before) =>
      runClerkSync(
        {
          proxy,
          hasToken,
          toast,
          queryClient,
          store: syncStatusStore,
          sanity,
          rules: config.rules,
          t,
        },
        documentId,
        request,
        before,
      ),
    [proxy, hasToken, toast, queryClient, sanity, config.rules, t],
  )
}
