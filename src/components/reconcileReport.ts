/**
 * A reconcile run's drifted subjects as editors read them: one row per person or organization
 * (name, email, what changes), grouped by change, filterable, and exportable as CSV.
 */
import {describeAccessChange, type AccessChange, type AccessItem} from '../../core/access'
import type {ReconcileDrift} from '../client/useReconcile'

/** One drifted subject. */
export interface ReportRow {
  subject: string
  name: string | null
  email: string | null
  status: 'would-change' | 'applied' | 'failed'
  /** Clerk's values → what Sanity grants. */
  change: AccessChange
  error: string | null
}

/** One kind of change and who it applies to. */
export interface ReportGroup {
  /** Stable id, e.g. `gained:plan:pro`, `switched:plan:enterprise:pro`, `failed`. */
  id: string
  kind: 'gained' | 'lost' | 'switched' | 'failed'
  key: string | null
  from: string | null
  to: string | null
  subjects: string[]
}

/** The rows of a run, in the order the stream reported them. */
export function reportRows(drifts: readonly ReconcileDrift[]): ReportRow[] {
  return drifts.map((entry) => {
    const clerk = Object.fromEntries(entry.drift.map((d) => [d.key, d.clerk]))
    const sanity = Object.fromEntries(entry.drift.map((d) => [d.key, d.sanity]))
    return {
      subject: entry.subject,
      name: entry.name ?? null,
      email: entry.email ?? null,
      status: entry.error ? 'failed' : entry.applied ? 'applied' : 'would-change',
      change: describeAccessChange(entry.subject, clerk, sanity),
      error: entry.error?.message ?? null,
    }
  })
}

function itemGroup(
  kind: 'gained' | 'lost',
  {key, value}: AccessItem,
): Omit<ReportGroup, 'subjects'> {
  return {
    id: `${kind}:${key}:${value}`,
    kind,
    key,
    from: kind === 'lost' ? value : null,
    to: kind === 'gained' ? value : null,
  }
}

/** Groups rows by change; a subject with several changes is in several groups. Largest first. */
export function groupRows(rows: readonly ReportRow[]): ReportGroup[] {
  const groups = new Map<string, ReportGroup>()
  const add = (group: Omit<ReportGroup, 'subjects'>, subject: string) => {
    const existing = groups.get(group.id) ?? {...group, subjects: []}
    existing.subjects.push(subject)
    groups.set(group.id, existing)
  }
  for (const row of rows) {
    if (row.status === 'failed')
      add({id: 'failed', kind: 'failed', key: null, from: null, to: null}, row.subject)
    for (const item of row.change.gained) add(itemGroup('gained', item), row.subject)
    for (const item of row.change.lost) add(itemGroup('lost', item), row.subject)
    for (const s of row.change.switched) {
      add(
        {
          id: `switched:${s.key}:${s.from}:${s.to}`,
          kind: 'switched',
          key: s.key,
          from: s.from,
          to: s.to,
        },
        row.subject,
      )
    }
  }
  return [...groups.values()].sort(
    (a, b) => b.subjects.length - a.subjects.length || a.id.localeCompare(b.id),
  )
}

/** Rows whose id, name or email contains `text` (case-insensitive), and in `group` when given. */
export function filterRows(
  rows: readonly ReportRow[],
  text: string,
  group: ReportGroup | null,
): ReportRow[] {
  const needle = text.trim().toLowerCase()
  const inGroup = group ? new Set(group.subjects) : null
  return rows.filter(
    (row) =>
      (!inGroup || inGroup.has(row.subject)) &&
      (!needle ||
        [row.subject, row.name, row.email].some((v) => v?.toLowerCase().includes(needle))),
  )
}

function csvCell(value: string): string {
  // Quote everything; double quotes inside; a leading = + - @ would run as a formula in a sheet.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return `"${safe.replace(/"/g, '""')}"`
}

function items(list: AccessItem[]): string {
  return list.map(({key, value}) => `${key}:${value}`).join(' ')
}

/** The rows as CSV (RFC 4180, CRLF), one line per subject, with a header. */
export function reportCsv(rows: readonly ReportRow[]): string {
  const header = ['subject', 'name', 'email', 'status', 'gained', 'lost', 'switched', 'error']
  const lines = rows.map((row) =>
    [
      row.subject,
      row.name ?? '',
      row.email ?? '',
      row.status,
      items(row.change.gained),
      items(row.change.lost),
      row.change.switched.map((s) => `${s.key}:${s.from}>${s.to}`).join(' '),
      row.error ?? '',
    ]
      .map(csvCell)
      .join(','),
  )
  return [header.map(csvCell).join(','), ...lines].join('\r\n') + '\r\n'
}
