/**
 * The access history section of the Clerk panel: who granted or revoked what, when, through
 * which entitlement, and whether (and with which trace id) it reached Clerk.
 *
 * Test ids: `clerk-history`, `clerk-history-entry-<transactionId>`, `clerk-history-empty`,
 * `clerk-history-error`.
 */
import {useQuery} from '@tanstack/react-query'
import {Card, Flex, Spinner, Stack, Text} from '@sanity/ui'

import type {AccessChange, AccessItem} from '../../core/access'
import type {SubjectStatusResponse} from '../../core/contract'
import {loadAccessHistory, type AccessHistoryEntry} from '../client/accessHistory'
import {useClerkAccess} from '../client/context'
import {clerkQueryKeys} from '../client/queries'
import {useClerkTranslation, type ClerkT} from '../i18n'
import {formatInstant} from './format'

function label(labels: Record<string, string>, {key, value}: AccessItem): string {
  return labels[`${key}:${value}`] ?? value
}

function sentences(
  t: ClerkT,
  author: string,
  change: AccessChange,
  labels: Record<string, string>,
): string[] {
  const items = (list: AccessItem[]) => list.map((item) => label(labels, item))
  const lines: string[] = []
  if (change.gained.length) lines.push(t('history.granted', {author, items: items(change.gained)}))
  if (change.lost.length) lines.push(t('history.revoked', {author, items: items(change.lost)}))
  for (const s of change.switched) {
    const values = {
      author,
      from: label(labels, {key: s.key, value: s.from}),
      to: label(labels, {key: s.key, value: s.to}),
    }
    lines.push(
      s.key === 'role' ? t('history.switched-role', values) : t('history.switched-plan', values),
    )
  }
  return lines
}

/** Whether Clerk holds this change: the last sync ran after it and nothing drifted since. */
function clerkState(
  entry: AccessHistoryEntry,
  status: SubjectStatusResponse,
): 'latest' | 'included' | 'pending' {
  const {lastSync} = status
  if (!lastSync || status.drift.length) return 'pending'
  return Date.parse(entry.timestamp) <= Date.parse(lastSync.at) ? 'included' : 'pending'
}

/**
 * What can truly be said about when a change reached Clerk. The subject's last sync (time and
 * trace id) ran after every included change, so each was in Clerk by then at the latest; when it
 * got there, and through which sync, is not recorded. Only the newest included change is still
 * what Clerk holds (older ones may have been superseded), and the trace id names the sync that
 * found it there, not the one that wrote it.
 */
function ClerkLine({
  t,
  state,
  status,
}: {
  t: ClerkT
  state: 'latest' | 'included' | 'pending'
  status: SubjectStatusResponse
}) {
  const {lastSync} = status
  if (state === 'pending' || !lastSync) {
    return (
      <Text size={1} muted>
        {t('history.not-in-clerk')}
      </Text>
    )
  }
  const time = formatInstant(lastSync.at)
  let line = t('history.reached-clerk-by', {time})
  if (state === 'latest') {
    line = lastSync.traceId
      ? t('history.in-clerk-since', {time, traceId: lastSync.traceId})
      : t('history.in-clerk-since-no-trace', {time})
  }
  return (
    <Text size={1} muted>
      {line}
    </Text>
  )
}

/** The subject's access history, from the Content Lake's document history. */
export function AccessHistory({
  subject,
  status,
  documentIds,
}: {
  subject: string
  status: SubjectStatusResponse
  /** Entitlements to include besides the subject's current ones (e.g. the open document). */
  documentIds?: string[]
}): React.JSX.Element {
  const {config, sanity: client} = useClerkAccess()
  const {t} = useClerkTranslation()
  const entitlementIds = [
    ...new Set([
      ...status.effective.sources.map((source) => source.entitlementId),
      ...(documentIds ?? []),
    ]),
  ].sort()
  const history = useQuery({
    queryKey: [...clerkQueryKeys.subject(subject), 'history', entitlementIds],
    queryFn: () => {
      if (!client) throw new Error('no Sanity client in the plugin context')
      return loadAccessHistory(client, config.rules, {subject, entitlementIds})
    },
  })
  if (history.isPending) {
    return (
      <Flex gap={2} align="center" data-testid="clerk-history">
        <Spinner muted />
        <Text size={1} muted>
          {t('history.loading')}
        </Text>
      </Flex>
    )
  }
  if (history.isError) {
    return (
      <Card padding={3} radius={2} tone="caution" data-testid="clerk-history-error">
        <Text size={1}>{t('history.error', {message: history.error.message})}</Text>
      </Card>
    )
  }
  const {entries, labels} = history.data
  if (!entries.length) {
    return (
      <Text size={1} muted data-testid="clerk-history-empty">
        {t('history.empty')}
      </Text>
    )
  }
  // The newest change Clerk holds is the one the last sync found there.
  const latest = entries.find((entry) => clerkState(entry, status) === 'included')
  return (
    <Stack gap={2} data-testid="clerk-history" as="ol" style={{listStyle: 'none', padding: 0}}>
      {entries.map((entry) => {
        const author = entry.authorName ?? entry.author
        const state = entry === latest ? 'latest' : clerkState(entry, status)
        return (
          <Card
            as="li"
            key={`${entry.transactionId}-${entry.entitlementId}`}
            padding={2}
            radius={2}
            border
            data-testid={`clerk-history-entry-${entry.transactionId}`}
          >
            <Stack gap={2}>
              {sentences(t, author, entry.change, labels).map((line) => (
                <Text key={line} size={1}>
                  {line}
                </Text>
              ))}
              <Text size={1} muted>
                {t('history.when-through', {
                  time: formatInstant(entry.timestamp),
                  entitlement: entry.entitlementTitle ?? entry.entitlementId,
                })}
              </Text>
              <ClerkLine t={t} state={state} status={status} />
            </Stack>
          </Card>
        )
      })}
    </Stack>
  )
}
