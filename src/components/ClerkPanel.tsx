/**
 * The Clerk panel for one subject: live Clerk profile, effective access and its sources, drift
 * with one-click Resync, session-claim size, last sync.
 *
 * Test ids: `clerk-panel`, `clerk-panel-loading`, `clerk-panel-error`, `clerk-panel-profile`,
 * `clerk-panel-effective`, `clerk-panel-source-<entitlementId>`, `clerk-panel-organizations`,
 * `clerk-panel-drift` (with `data-drift="none"` when in sync), `clerk-panel-resync`,
 * `clerk-panel-resync-result`, `clerk-panel-no-sync`, `clerk-panel-size`, `clerk-panel-last-sync`,
 * `clerk-panel-private`, `clerk-panel-session-note`, `clerk-panel-member-site`.
 */
import {Badge, Box, Button, Card, Flex, Spinner, Stack, Text} from '@sanity/ui'

import {useClerkAccess} from '../client/context'
import {isClerkUserId} from '../../core/access'
import type {SubjectStatusResponse} from '../../core/contract'
import {explainProxyError} from '../client/errors'
import {ProxyError} from '../client/proxyClient'
import {useProxyPermits, useSubjectStatus, useSyncMutation} from '../client/queries'
import {describeResult} from '../actions/syncRunner'
import {useClerkTranslation} from '../i18n'
import {SyncIcon} from '../icons'
import {AccessHistory} from './AccessHistory'
import {formatBytes, formatInstant, formatMetadataValue} from './format'
import {ProgressBar} from './ProgressBar'
import {SubjectSummaryRow, UserFlags} from './SubjectSummary'

function Section({
  title,
  children,
  testId,
}: {
  title: string
  children: React.ReactNode
  testId?: string
}) {
  return (
    <Stack gap={3} data-testid={testId}>
      <Text size={1} weight="semibold">
        {title}
      </Text>
      {children}
    </Stack>
  )
}

function MetadataList({metadata}: {metadata: Record<string, unknown>}) {
  const {t} = useClerkTranslation()
  const entries = Object.entries(metadata)
  if (entries.length === 0) {
    return (
      <Text size={1} muted>
        {t('panel.nothing-granted')}
      </Text>
    )
  }
  return (
    <Stack gap={2}>
      {entries.map(([key, value]) => (
        <Flex key={key} gap={2}>
          <Text size={1} muted style={{minWidth: '7em'}}>
            {key}
          </Text>
          <Text size={1}>{formatMetadataValue(t, value)}</Text>
        </Flex>
      ))}
    </Stack>
  )
}

/** Error card for proxy failures, worded for editors. */
export function ProxyErrorCard({
  error,
  testId,
}: {
  error: unknown
  testId: string
}): React.JSX.Element {
  const {hasToken} = useClerkAccess()
  const {t} = useClerkTranslation()
  const explained = explainProxyError(error, {hasToken, t})
  return (
    <Card padding={3} radius={2} tone="critical" role="alert" data-testid={testId}>
      <Stack gap={2}>
        <Text size={1} weight="medium">
          {explained.title}
        </Text>
        <Text size={1}>{explained.description}</Text>
        {explained.traceId ? (
          <Text size={1} muted>
            {t('panel.trace-id', {traceId: explained.traceId})}
          </Text>
        ) : null}
      </Stack>
    </Card>
  )
}

/** Says why a sync control is off: `GET /me` answered without the `sync` permission. */
export function NoSyncNote({testId}: {testId: string}): React.JSX.Element {
  const {t} = useClerkTranslation()
  return (
    <Text size={1} muted data-testid={testId}>
      {t('panel.no-sync')}
    </Text>
  )
}

function DriftSection({subject, status}: {subject: string; status: SubjectStatusResponse}) {
  const sync = useSyncMutation()
  const maySync = useProxyPermits('sync')
  const {t} = useClerkTranslation()
  const {drift} = status
  const resync = (
    <Button
      icon={SyncIcon}
      text={
        sync.isPending
          ? t('panel.resync.running')
          : drift.length
            ? t('panel.resync.now')
            : t('panel.resync.anyway')
      }
      tone={drift.length ? 'primary' : 'default'}
      mode={drift.length ? 'default' : 'ghost'}
      disabled={sync.isPending || !maySync}
      data-testid="clerk-panel-resync"
      onClick={() => sync.mutate({subjects: [subject]})}
    />
  )
  return (
    <Stack gap={3}>
      {drift.length ? (
        <Card
          padding={3}
          radius={2}
          tone="caution"
          data-testid="clerk-panel-drift"
          data-drift={drift.length}
        >
          <Stack gap={3}>
            <Text size={1} weight="medium">
              {t('panel.drift.title', {count: drift.length})}
            </Text>
            {drift.map((entry) => (
              <Stack key={entry.key} gap={2}>
                <Text size={1} weight="medium">
                  {entry.key}
                </Text>
                <Text size={1}>
                  {t('panel.drift.clerk-has', {value: formatMetadataValue(t, entry.clerk)})}
                </Text>
                <Text size={1}>
                  {t('panel.drift.sanity-says', {value: formatMetadataValue(t, entry.sanity)})}
                </Text>
              </Stack>
            ))}
          </Stack>
        </Card>
      ) : (
        <Card
          padding={3}
          radius={2}
          tone="positive"
          data-testid="clerk-panel-drift"
          data-drift="none"
        >
          <Text size={1}>{t('panel.drift.none')}</Text>
        </Card>
      )}
      <Flex gap={3} align="center">
        {resync}
        {maySync ? null : <NoSyncNote testId="clerk-panel-no-sync" />}
      </Flex>
      {sync.isError ? (
        <ProxyErrorCard error={sync.error} testId="clerk-panel-resync-result" />
      ) : null}
      {sync.isSuccess ? (
        <Card padding={3} radius={2} tone="positive" data-testid="clerk-panel-resync-result">
          <Stack gap={2}>
            {sync.data.results.map((result) => (
              <Text key={result.subject} size={1}>
                {describeResult(t, result)}
              </Text>
            ))}
          </Stack>
        </Card>
      ) : null}
    </Stack>
  )
}

function SizeSection({status}: {status: SubjectStatusResponse}) {
  const {t} = useClerkTranslation()
  const {size} = status
  const sessionBytes = size.publicBytes ?? size.bytes
  const sessionValues = {used: formatBytes(sessionBytes), budget: formatBytes(size.sessionBudget)}
  const allValues = {used: formatBytes(size.bytes), limit: formatBytes(size.limit)}
  const tone = size.overLimit ? 'critical' : size.overBudget ? 'caution' : 'default'
  return (
    <Card
      padding={3}
      radius={2}
      tone={tone}
      border
      data-testid="clerk-panel-size"
      data-over-budget={size.overBudget}
    >
      <Stack gap={3}>
        <Text size={1}>
          {size.overBudget
            ? t('panel.size.session-over', sessionValues)
            : t('panel.size.session', sessionValues)}
        </Text>
        <ProgressBar
          fraction={sessionBytes / size.sessionBudget}
          label={t('panel.size.progress-label')}
        />
        <Text size={1} muted>
          {size.overLimit ? t('panel.size.all-over', allValues) : t('panel.size.all', allValues)}
        </Text>
      </Stack>
    </Card>
  )
}

/**
 * "Open the member site as this user", when `memberSiteUrl` is configured: a plain link in a
 * new tab, without a referrer (the member site's own sign-in decides who may do what).
 */
function MemberSiteLink({userId}: {userId: string}): React.JSX.Element | null {
  const {config} = useClerkAccess()
  const {t} = useClerkTranslation()
  if (!config.memberSiteUrl) return null
  const href = new URL(config.memberSiteUrl)
  href.searchParams.set('as', userId)
  return (
    <Button
      as="a"
      href={href.href}
      target="_blank"
      rel="noopener noreferrer"
      mode="ghost"
      text={t('panel.member-site.open')}
      data-testid="clerk-panel-member-site"
    />
  )
}

/** Everything the plugin knows about one Clerk subject, live. */
export function ClerkPanel({
  subject,
  historyDocumentIds,
}: {
  subject: string
  /** Entitlements whose history to show besides the subject's current ones. */
  historyDocumentIds?: string[]
}): React.JSX.Element {
  const status = useSubjectStatus(subject)
  const {t} = useClerkTranslation()
  // Asked alongside the status, so the Resync button is right by the time it first shows.
  useProxyPermits('sync')
  if (status.isPending) {
    return (
      <Flex padding={4} gap={3} align="center" data-testid="clerk-panel-loading">
        <Spinner muted />
        <Text size={1} muted>
          {t('panel.loading', {subject})}
        </Text>
      </Flex>
    )
  }
  if (status.isError) {
    const missing = status.error instanceof ProxyError && status.error.status === 404
    return (
      <Stack gap={3} data-testid="clerk-panel">
        {missing ? (
          <Card padding={3} radius={2} tone="critical" data-testid="clerk-panel-error">
            <Text size={1}>{t('panel.missing', {subject})}</Text>
          </Card>
        ) : (
          <ProxyErrorCard error={status.error} testId="clerk-panel-error" />
        )}
      </Stack>
    )
  }
  const data = status.data
  const summary = data.user ?? data.organization
  return (
    <Stack gap={5} data-testid="clerk-panel">
      <Card padding={3} radius={2} border data-testid="clerk-panel-profile">
        {summary ? (
          <SubjectSummaryRow summary={summary} badges={<UserFlags summary={summary} />} />
        ) : (
          <Stack gap={3}>
            <Flex gap={2} align="center">
              <Text size={1}>{subject}</Text>
              {data.status === 'deleted' ? (
                <Badge tone="critical">{t('panel.deleted-badge')}</Badge>
              ) : null}
            </Flex>
            {data.status === 'deleted' ? (
              <Text size={1} data-testid="clerk-panel-deleted">
                {t('panel.deleted-explanation')}
              </Text>
            ) : null}
          </Stack>
        )}
      </Card>
      {isClerkUserId(subject) ? <MemberSiteLink userId={subject} /> : null}

      <Section title={t('panel.drift.section')}>
        <DriftSection subject={subject} status={data} />
      </Section>

      <Section title={t('panel.effective.section')} testId="clerk-panel-effective">
        <MetadataList metadata={data.effective.metadata} />
        <Stack gap={2}>
          {data.effective.sources.map((source) => (
            <Card
              key={source.entitlementId}
              padding={2}
              radius={2}
              tone={source.active ? 'default' : 'transparent'}
              border
              data-testid={`clerk-panel-source-${source.entitlementId}`}
            >
              <Stack gap={2}>
                <Flex gap={2} align="center">
                  <Box flex={1}>
                    <Text size={1} weight="medium">
                      {source.title || source.entitlementId}
                    </Text>
                  </Box>
                  {source.active ? null : <Badge>{t('panel.source.inactive')}</Badge>}
                </Flex>
                <Text size={1} muted>
                  {[
                    source.plan && t('panel.source.plan', {plan: source.plan}),
                    source.role && t('panel.source.role', {role: source.role}),
                    ...Object.entries(source.grants).map(
                      ([key, slugs]) => `${key}: ${slugs.join(', ')}`,
                    ),
                    source.validFrom &&
                      t('panel.source.from', {time: formatInstant(source.validFrom)}),
                    source.validUntil &&
                      t('panel.source.until', {time: formatInstant(source.validUntil)}),
                  ]
                    .filter(Boolean)
                    .join(' · ') || t('panel.source.nothing')}
                </Text>
              </Stack>
            </Card>
          ))}
        </Stack>
      </Section>

      {data.organizations?.length ? (
        <Section title={t('panel.organizations.section')} testId="clerk-panel-organizations">
          {data.organizations.map((membership) => (
            <Card key={membership.organization.id} padding={2} radius={2} border>
              <Stack gap={2}>
                <SubjectSummaryRow
                  summary={membership.organization}
                  badges={<Badge>{membership.role}</Badge>}
                />
                <MetadataList metadata={membership.metadata} />
              </Stack>
            </Card>
          ))}
        </Section>
      ) : null}

      <Section title={t('panel.history.section')} testId="clerk-panel-history">
        <AccessHistory subject={subject} status={data} documentIds={historyDocumentIds} />
      </Section>

      <Section title={t('panel.clerk.section')}>
        <MetadataList metadata={data.clerk.publicMetadata} />
        {data.clerk.privateMetadata ? (
          <Card padding={3} radius={2} tone="transparent" border data-testid="clerk-panel-private">
            <Stack gap={2}>
              <Text size={1} muted>
                {t('panel.clerk.private')}
              </Text>
              <Box as="pre" style={{margin: 0, whiteSpace: 'pre-wrap', fontSize: 12}}>
                {JSON.stringify(data.clerk.privateMetadata, null, 2)}
              </Box>
            </Stack>
          </Card>
        ) : null}
      </Section>

      <SizeSection status={data} />

      <Stack gap={2} data-testid="clerk-panel-last-sync">
        <Text size={1} muted>
          {data.lastSync
            ? data.lastSync.traceId
              ? t('panel.last-sync.trace', {
                  time: formatInstant(data.lastSync.at),
                  traceId: data.lastSync.traceId,
                })
              : t('panel.last-sync', {time: formatInstant(data.lastSync.at)})
            : t('panel.last-sync.never')}
        </Text>
      </Stack>
      <Card padding={3} radius={2} tone="primary" data-testid="clerk-panel-session-note">
        <Text size={1}>{t('outcome.session-note')}</Text>
      </Card>
    </Stack>
  )
}
