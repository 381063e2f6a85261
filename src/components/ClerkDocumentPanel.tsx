/**
 * The Clerk panel for a document: finds its subject(s) and shows {@link ClerkPanel} for one.
 *
 * Test ids: `clerk-document-panel`, `clerk-sync-status` (this Studio's last sync of the
 * document, with `data-status`), `clerk-sync-status-retry`, `clerk-sync-status-no-sync`, `clerk-panel-subject-<id>` (subject
 * switcher), `clerk-panel-no-subject`, `clerk-panel-subject-change`.
 */
import {Button, Card, Flex, Spinner, Stack, Text} from '@sanity/ui'
import {useState} from 'react'
import {getPublishedId} from 'sanity'

import {useDocumentSyncState} from '../actions/syncStatusStore'
import {useRunClerkSync} from '../actions/syncRunner'
import {useProxyPermits} from '../client/queries'
import {useClerkTranslation} from '../i18n'
import {CLERK_TYPES} from '../schema/names'
import {ClerkPanel, NoSyncNote} from './ClerkPanel'
import {formatInstant} from './format'
import {useDocumentSubjects} from './useDocumentSubjects'

function SyncStatusLine({documentId}: {documentId: string}) {
  const state = useDocumentSyncState(documentId)
  const runSync = useRunClerkSync()
  const maySync = useProxyPermits('sync')
  const {t} = useClerkTranslation()
  if (!state) return null
  if (state.status === 'failed') {
    return (
      <Card
        padding={3}
        radius={2}
        tone="critical"
        data-testid="clerk-sync-status"
        data-status="failed"
      >
        <Stack gap={3}>
          <Text size={1} weight="medium">
            {t('document.out-of-sync', {reason: state.error.title})}
          </Text>
          <Text size={1} style={{whiteSpace: 'pre-line'}}>
            {state.error.description}
          </Text>
          <Flex gap={3} align="center">
            <Button
              text={t('document.retry')}
              disabled={!maySync}
              data-testid="clerk-sync-status-retry"
              onClick={() => void runSync(documentId, state.request)}
            />
            {maySync ? null : <NoSyncNote testId="clerk-sync-status-no-sync" />}
          </Flex>
        </Stack>
      </Card>
    )
  }
  const text =
    state.status === 'synced'
      ? t('document.synced', {time: formatInstant(state.at)})
      : state.status === 'syncing'
        ? t('action.sync.running')
        : t('document.waiting')
  return (
    <Card
      padding={3}
      radius={2}
      tone="transparent"
      data-testid="clerk-sync-status"
      data-status={state.status}
    >
      <Text size={1} muted>
        {text}
      </Text>
    </Card>
  )
}

/** Panel body for any document: entitlement (its subject) or a referenced plan, role, course. */
export function ClerkDocumentPanel({
  documentId,
  documentType,
}: {
  documentId: string
  documentType: string
}): React.JSX.Element {
  const subjects = useDocumentSubjects(documentId, documentType)
  const {t} = useClerkTranslation()
  const candidates = [
    ...new Set([...subjects.current, ...subjects.published, ...subjects.referencing]),
  ]
  const [chosen, setChosen] = useState<string | null>(null)
  const subject = chosen && candidates.includes(chosen) ? chosen : (candidates[0] ?? null)
  const publishedId = getPublishedId(documentId)
  const draftChangesSubject =
    subjects.current.length > 0 &&
    subjects.published.length > 0 &&
    subjects.current[0] !== subjects.published[0]

  return (
    <Stack gap={4} padding={4} data-testid="clerk-document-panel">
      <SyncStatusLine documentId={publishedId} />
      {subjects.loading ? (
        <Flex gap={2} align="center">
          <Spinner muted />
          <Text size={1} muted>
            {t('document.reading')}
          </Text>
        </Flex>
      ) : null}
      {subjects.error ? (
        <Card padding={3} radius={2} tone="critical">
          <Text size={1}>{t('document.read-error', {message: subjects.error.message})}</Text>
        </Card>
      ) : null}
      {draftChangesSubject ? (
        <Card padding={3} radius={2} tone="caution" data-testid="clerk-panel-subject-change">
          <Text size={1}>
            {t('document.subject-change', {
              published: subjects.published[0],
              draft: subjects.current[0],
            })}
          </Text>
        </Card>
      ) : null}
      {candidates.length > 1 ? (
        <Flex gap={2} wrap="wrap">
          {candidates.map((candidate) => (
            <Button
              key={candidate}
              text={candidate}
              mode={candidate === subject ? 'default' : 'ghost'}
              aria-pressed={candidate === subject}
              data-testid={`clerk-panel-subject-${candidate}`}
              onClick={() => setChosen(candidate)}
            />
          ))}
        </Flex>
      ) : null}
      {subject ? (
        <ClerkPanel
          subject={subject}
          historyDocumentIds={documentType === CLERK_TYPES.entitlement ? [publishedId] : undefined}
        />
      ) : subjects.loading ? null : (
        <Card padding={3} radius={2} tone="transparent" border data-testid="clerk-panel-no-subject">
          <Text size={1} muted>
            {t('document.no-subject')}
          </Text>
        </Card>
      )}
    </Stack>
  )
}
