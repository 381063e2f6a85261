/**
 * The Access tool: browse Clerk users and organizations with their effective access and drift,
 * preview one subject's access, and reconcile everything (dry run first, then apply).
 *
 * Test ids: `clerk-tool`, `clerk-tool-tab-users`, `clerk-tool-tab-organizations`,
 * `clerk-tool-search`, `clerk-tool-row-<id>`, `clerk-tool-row-status-<id>` (`data-drift`),
 * `clerk-tool-empty`, `clerk-tool-error`, `clerk-tool-prev`, `clerk-tool-next`,
 * `clerk-tool-preview`, `clerk-tool-reconcile-dry-run`, `clerk-tool-reconcile-apply`,
 * `clerk-tool-progress` (`data-phase`), `clerk-tool-progress-bar`, `clerk-tool-summary`,
 * `clerk-tool-drift-<subject>`, `clerk-tool-reconcile-error`, `clerk-tool-me`,
 * `clerk-tool-no-reconcile`.
 */
import {
  Badge,
  Box,
  Button,
  Card,
  Container,
  Flex,
  Grid,
  Heading,
  Spinner,
  Stack,
  Text,
  TextInput,
} from '@sanity/ui'
import {useRef, useState} from 'react'

import {
  useProxyMe,
  useProxyPermits,
  useSubjectSearch,
  useSubjectStatus,
  type SubjectKind,
  type SubjectSummary,
} from '../client/queries'
import {reconcileFraction, useReconcile, type ReconcileState} from '../client/useReconcile'
import {useClerkTranslation, type ClerkT} from '../i18n'
import {SearchIcon} from '../icons'
import {ClerkPanel, ProxyErrorCard} from './ClerkPanel'
import {ReconcileReport} from './ReconcileReport'
import {formatMetadataValue} from './format'
import {OrphanedEntitlements} from './OrphanedEntitlements'
import {ProgressBar} from './ProgressBar'
import {SubjectSummaryRow, UserFlags} from './SubjectSummary'
import {useDebouncedValue} from './useDebouncedValue'
import {useInView} from './useInView'
import {SEARCH_DEBOUNCE_MS} from './ClerkSubjectInput'

/** Rows per page in the subject list. */
export const PAGE_SIZE = 20

function RowStatus({subject}: {subject: string}) {
  const {t} = useClerkTranslation()
  const ref = useRef<HTMLDivElement>(null)
  const visible = useInView(ref)
  const status = useSubjectStatus(subject, {enabled: visible})
  let content: React.ReactNode
  if (!visible || status.isPending) content = <Spinner muted />
  else if (status.isError)
    content = <Badge tone="critical">{t('tool.row.status-unavailable')}</Badge>
  else {
    const {effective, drift} = status.data
    const granted = Object.entries(effective.metadata)
      .map(([key, value]) => `${key}: ${formatMetadataValue(t, value)}`)
      .join(' · ')
    content = (
      <Flex gap={2} align="center">
        <Text size={1} muted textOverflow="ellipsis">
          {granted || t('tool.row.no-access')}
        </Text>
        {drift.length ? (
          // Neutral, not caution: @sanity/ui's caution badge fails the colour-contrast scan.
          <Badge data-status="drift">{t('tool.row.drift', {count: drift.length})}</Badge>
        ) : (
          <Badge tone="positive">{t('tool.row.in-sync')}</Badge>
        )}
      </Flex>
    )
  }
  const drift = status.data?.drift.length
  return (
    <Box ref={ref} data-testid={`clerk-tool-row-status-${subject}`} data-drift={drift ?? 'unknown'}>
      {content}
    </Box>
  )
}

function SubjectBrowser({
  selected,
  onSelect,
}: {
  selected: string | null
  onSelect: (id: string) => void
}) {
  const {t} = useClerkTranslation()
  const [kind, setKind] = useState<SubjectKind>('user')
  const [query, setQuery] = useState('')
  const [offset, setOffset] = useState(0)
  const debounced = useDebouncedValue(query.trim(), SEARCH_DEBOUNCE_MS)
  const search = useSubjectSearch(kind, debounced, {offset, limit: PAGE_SIZE})
  const rows: SubjectSummary[] = search.data?.data ?? []

  function switchKind(next: SubjectKind) {
    setKind(next)
    setOffset(0)
  }

  return (
    <Stack gap={3}>
      <Flex gap={2}>
        {(['user', 'organization'] as const).map((option) => (
          <Button
            key={option}
            text={option === 'user' ? t('tool.tab.users') : t('tool.tab.organizations')}
            mode={kind === option ? 'default' : 'ghost'}
            aria-pressed={kind === option}
            data-testid={`clerk-tool-tab-${option === 'user' ? 'users' : 'organizations'}`}
            onClick={() => switchKind(option)}
          />
        ))}
      </Flex>
      <TextInput
        icon={SearchIcon}
        placeholder={
          kind === 'user'
            ? t('tool.search.users.placeholder')
            : t('tool.search.organizations.placeholder')
        }
        aria-label={
          kind === 'user' ? t('tool.search.users.label') : t('tool.search.organizations.label')
        }
        value={query}
        data-testid="clerk-tool-search"
        onChange={(event) => {
          setQuery(event.currentTarget.value)
          setOffset(0)
        }}
      />
      {search.isError ? <ProxyErrorCard error={search.error} testId="clerk-tool-error" /> : null}
      {search.isPending ? <Spinner muted /> : null}
      {search.isSuccess && rows.length === 0 ? (
        <Text size={1} muted data-testid="clerk-tool-empty">
          {kind === 'user' ? t('tool.empty.users') : t('tool.empty.organizations')}
        </Text>
      ) : null}
      <Stack gap={1} role="list">
        {rows.map((row) => (
          <Card
            key={row.id}
            as="button"
            role="listitem"
            padding={3}
            radius={2}
            border
            selected={row.id === selected}
            tone={row.id === selected ? 'primary' : 'default'}
            data-testid={`clerk-tool-row-${row.id}`}
            onClick={() => onSelect(row.id)}
            style={{textAlign: 'left'}}
          >
            <Stack gap={2}>
              <SubjectSummaryRow summary={row} badges={<UserFlags summary={row} />} />
              <RowStatus subject={row.id} />
            </Stack>
          </Card>
        ))}
      </Stack>
      <Flex gap={2} justify="space-between" align="center">
        <Button
          text={t('tool.page.previous')}
          mode="ghost"
          disabled={offset === 0}
          data-testid="clerk-tool-prev"
          onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
        />
        <Text size={1} muted>
          {rows.length ? t('tool.page.range', {first: offset + 1, last: offset + rows.length}) : ''}
        </Text>
        <Button
          text={t('tool.page.next')}
          mode="ghost"
          disabled={!search.data?.hasMore}
          data-testid="clerk-tool-next"
          onClick={() => setOffset(offset + PAGE_SIZE)}
        />
      </Flex>
    </Stack>
  )
}

function progressText(state: ReconcileState, t: ClerkT): string {
  const parts = Object.entries(state.progress).map(([kind, p]) => {
    const checked =
      kind === 'user'
        ? p.total === null
          ? t('tool.progress.users-checked', {scanned: p.scanned})
          : t('tool.progress.users-checked-of', {scanned: p.scanned, total: p.total})
        : p.total === null
          ? t('tool.progress.organizations-checked', {scanned: p.scanned})
          : t('tool.progress.organizations-checked-of', {scanned: p.scanned, total: p.total})
    return [
      checked,
      t('tool.progress.drifted', {count: p.drifted}),
      ...(state.dryRun ? [] : [t('tool.progress.written', {count: p.written})]),
      ...(p.failed ? [t('tool.progress.failed', {count: p.failed})] : []),
    ].join(', ')
  })
  return parts.join(' · ') || t('tool.progress.starting')
}

/** Who the proxy thinks the editor is; reconcile needs the `reconcile` permission. */
function ProxyIdentity({me}: {me: ReturnType<typeof useProxyMe>}) {
  const {t} = useClerkTranslation()
  if (me.isError) return <ProxyErrorCard error={me.error} testId="clerk-tool-me-error" />
  if (!me.data) return null
  return (
    <Text size={1} muted data-testid="clerk-tool-me">
      {t('tool.me', {
        name: me.data.name,
        roles: me.data.roles.join(', ') || t('tool.me.no-role'),
        permissions: me.data.permissions.join(', ') || t('tool.me.no-permission'),
      })}
    </Text>
  )
}

function ReconcileSection() {
  const {t} = useClerkTranslation()
  const {state, start} = useReconcile()
  const me = useProxyMe()
  const mayReconcile = useProxyPermits('reconcile')
  const running = state.phase === 'running'
  const dryRunDone = state.phase === 'done' && state.dryRun
  const toApply = dryRunDone ? (state.summary?.drifted ?? 0) : 0
  return (
    <Card padding={4} radius={2} border>
      <Stack gap={4}>
        <Stack gap={2}>
          <Text weight="semibold">{t('tool.reconcile.title')}</Text>
          <Text size={1} muted>
            {t('tool.reconcile.description')}
          </Text>
          <ProxyIdentity me={me} />
          {mayReconcile ? null : (
            <Text size={1} data-testid="clerk-tool-no-reconcile">
              {t('tool.reconcile.not-permitted')}
            </Text>
          )}
        </Stack>
        <Flex gap={2}>
          <Button
            text={t('tool.reconcile.dry-run')}
            mode="ghost"
            disabled={running || !mayReconcile}
            data-testid="clerk-tool-reconcile-dry-run"
            onClick={() => start(true)}
          />
          <Button
            text={
              toApply
                ? t('tool.reconcile.apply-count', {count: toApply})
                : t('tool.reconcile.apply')
            }
            // Not tone="primary": white on @sanity/ui's primary blue fails the colour-contrast scan
            // (WCAG AA); the label ("Apply 3 changes") and its place after the dry run carry it.
            disabled={running || !toApply || !mayReconcile}
            title={dryRunDone ? undefined : t('tool.reconcile.dry-run-first')}
            data-testid="clerk-tool-reconcile-apply"
            onClick={() => start(false)}
          />
        </Flex>
        {state.phase !== 'idle' ? (
          <Stack gap={3} data-testid="clerk-tool-progress" data-phase={state.phase}>
            <ProgressBar
              fraction={reconcileFraction(state)}
              label={
                state.dryRun ? t('tool.progress.dry-run-label') : t('tool.progress.apply-label')
              }
              testId="clerk-tool-progress-bar"
            />
            <Text size={1} muted>
              {state.dryRun
                ? t('tool.progress.dry-run', {progress: progressText(state, t)})
                : t('tool.progress.applying', {progress: progressText(state, t)})}
            </Text>
          </Stack>
        ) : null}
        {state.phase === 'failed' ? (
          <ProxyErrorCard error={state.error} testId="clerk-tool-reconcile-error" />
        ) : null}
        {state.summary ? (
          <Card
            padding={3}
            radius={2}
            tone={state.summary.failed ? 'caution' : 'positive'}
            data-testid="clerk-tool-summary"
          >
            <Text size={1}>
              {state.dryRun
                ? t('tool.summary.dry-run', {
                    scanned: state.summary.scanned,
                    drifted: state.summary.drifted,
                  })
                : t('tool.summary.applied', {
                    scanned: state.summary.scanned,
                    written: state.summary.written,
                    failed: state.summary.failed,
                  })}
            </Text>
          </Card>
        ) : null}
        {state.drifts.length ? (
          <ReconcileReport drifts={state.drifts} dryRun={state.dryRun} />
        ) : null}
      </Stack>
    </Card>
  )
}

/** The Access tool (lazy-loaded by the plugin). */
export default function AccessTool(): React.JSX.Element {
  const {t} = useClerkTranslation()
  const [selected, setSelected] = useState<string | null>(null)
  return (
    <Card height="fill" overflow="auto" data-testid="clerk-tool">
      <Container width={4} padding={4}>
        <Stack gap={5}>
          <Heading size={2}>{t('plugin.title')}</Heading>
          <ReconcileSection />
          <OrphanedEntitlements />
          <Grid gridTemplateColumns={[1, 1, 2]} gap={4}>
            <SubjectBrowser selected={selected} onSelect={setSelected} />
            <Box data-testid="clerk-tool-preview">
              {selected ? (
                <ClerkPanel subject={selected} />
              ) : (
                <Text size={1} muted>
                  {t('tool.preview.hint')}
                </Text>
              )}
            </Box>
          </Grid>
        </Stack>
      </Container>
    </Card>
  )
}
