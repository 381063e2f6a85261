/**
 * The Access tool's report of a reconcile run: who changes and how, grouped by change (click a
 * group to see only its people), filterable by name, email or id, and exportable as CSV.
 *
 * Test ids: `clerk-tool-report`, `clerk-tool-report-filter`, `clerk-tool-report-csv`,
 * `clerk-tool-group-<id>`, `clerk-tool-drift-<subject>`.
 */
import {Badge, Box, Button, Card, Flex, Stack, Text, TextInput} from '@sanity/ui'
import {useMemo, useState} from 'react'

import type {ReconcileDrift} from '../client/useReconcile'
import {useClerkTranslation, type ClerkT} from '../i18n'
import {
  filterRows,
  groupRows,
  reportCsv,
  reportRows,
  type ReportGroup,
  type ReportRow,
} from './reconcileReport'

function groupLabel(t: ClerkT, group: ReportGroup): string {
  const values = {
    key: group.key ?? '',
    from: group.from ?? '',
    to: group.to ?? '',
    count: group.subjects.length,
  }
  if (group.kind === 'failed') return t('report.group.failed', values)
  if (group.kind === 'gained') return t('report.group.gained', values)
  if (group.kind === 'lost') return t('report.group.lost', values)
  return t('report.group.switched', values)
}

function changeText(t: ClerkT, row: ReportRow): string {
  const parts = [
    ...row.change.gained.map((i) => t('report.change.gained', {key: i.key, value: i.value})),
    ...row.change.lost.map((i) => t('report.change.lost', {key: i.key, value: i.value})),
    ...row.change.switched.map((s) =>
      t('report.change.switched', {key: s.key, from: s.from, to: s.to}),
    ),
  ]
  return parts.join(' · ')
}

// Neutral badges: the words carry the status, and @sanity/ui's caution badge (yellow on yellow)
// fails the colour-contrast check in the browser scan.
function StatusBadge({t, status}: {t: ClerkT; status: ReportRow['status']}) {
  const label =
    status === 'failed'
      ? t('report.status.failed')
      : status === 'applied'
        ? t('report.status.applied')
        : t('report.status.would-change')
  return <Badge data-status={status}>{label}</Badge>
}

function download(csv: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([csv], {type: 'text/csv;charset=utf-8'}))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.click()
  URL.revokeObjectURL(url)
}

/** The drifted subjects of a run, for editors. */
export function ReconcileReport({
  drifts,
  dryRun,
}: {
  drifts: readonly ReconcileDrift[]
  dryRun: boolean
}): React.JSX.Element {
  const {t} = useClerkTranslation()
  const [filter, setFilter] = useState('')
  const [groupId, setGroupId] = useState<string | null>(null)
  const rows = useMemo(() => reportRows(drifts), [drifts])
  const groups = useMemo(() => groupRows(rows), [rows])
  const group = groups.find((g) => g.id === groupId) ?? null
  const shown = filterRows(rows, filter, group)
  return (
    <Stack gap={3} data-testid="clerk-tool-report">
      <Flex gap={2} align="center" wrap="wrap">
        <Box flex={1} style={{minWidth: '12em'}}>
          <TextInput
            value={filter}
            placeholder={t('report.filter.placeholder')}
            aria-label={t('report.filter.label')}
            data-testid="clerk-tool-report-filter"
            onChange={(event) => setFilter(event.currentTarget.value)}
          />
        </Box>
        <Button
          text={t('report.csv')}
          mode="ghost"
          data-testid="clerk-tool-report-csv"
          onClick={() =>
            download(reportCsv(shown), dryRun ? 'clerk-dry-run.csv' : 'clerk-reconcile.csv')
          }
        />
      </Flex>
      <Flex gap={2} wrap="wrap" role="group" aria-label={t('report.groups.label')}>
        {groups.map((g) => (
          <Button
            key={g.id}
            text={groupLabel(t, g)}
            mode={g.id === groupId ? 'default' : 'ghost'}
            tone={g.kind === 'failed' ? 'critical' : 'default'}
            fontSize={1}
            padding={2}
            aria-pressed={g.id === groupId}
            data-testid={`clerk-tool-group-${g.id}`}
            onClick={() => setGroupId(g.id === groupId ? null : g.id)}
          />
        ))}
      </Flex>
      <Text size={1} muted aria-live="polite">
        {t('report.shown', {shown: shown.length, count: rows.length})}
      </Text>
      <Stack gap={2} as="ul" style={{listStyle: 'none', padding: 0, margin: 0}}>
        {shown.map((row) => (
          <Card
            as="li"
            key={row.subject}
            padding={3}
            radius={2}
            border
            data-testid={`clerk-tool-drift-${row.subject}`}
          >
            <Stack gap={2}>
              <Flex gap={2} align="center">
                <Box flex={1}>
                  <Text size={1} weight="medium">
                    {row.name ?? row.subject}
                  </Text>
                </Box>
                <StatusBadge t={t} status={row.status} />
              </Flex>
              <Text size={1} muted>
                {[row.email, row.subject].filter(Boolean).join(' · ')}
              </Text>
              <Text size={1}>{changeText(t, row)}</Text>
              {row.error ? <Text size={1}>{row.error}</Text> : null}
            </Stack>
          </Card>
        ))}
      </Stack>
    </Stack>
  )
}
