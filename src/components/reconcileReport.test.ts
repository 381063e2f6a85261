import {describe, expect, it} from 'vitest'

import type {ReconcileDrift} from '../client/useReconcile'
import {filterRows, groupRows, reportCsv, reportRows} from './reconcileReport'

const drifts: ReconcileDrift[] = [
  {
    subject: 'user_ada',
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    drift: [{key: 'plan', clerk: null, sanity: 'pro'}],
    applied: false,
  },
  {
    subject: 'user_alan',
    name: 'Alan Turing',
    email: 'alan@example.com',
    drift: [
      {key: 'plan', clerk: 'enterprise', sanity: 'pro'},
      {key: 'courseSlugs', clerk: ['a', 'b'], sanity: ['b']},
    ],
    applied: true,
  },
  {
    subject: 'org_acme',
    name: 'Acme',
    email: null,
    drift: [{key: 'plan', clerk: null, sanity: 'pro'}],
    applied: false,
    error: {code: 'clerk_unavailable', message: 'Clerk is busy'},
  },
]

describe('the reconcile report', () => {
  it('turns drift into what each subject gains, loses or switches, with name and status', () => {
    const rows = reportRows(drifts)
    expect(rows.map((r) => [r.name, r.status])).toEqual([
      ['Ada Lovelace', 'would-change'],
      ['Alan Turing', 'applied'],
      ['Acme', 'failed'],
    ])
    expect(rows[1]!.change).toMatchObject({
      switched: [{key: 'plan', from: 'enterprise', to: 'pro'}],
      lost: [{key: 'courseSlugs', value: 'a'}],
      gained: [],
    })
  })

  it('groups subjects by change, largest group first', () => {
    const groups = groupRows(reportRows(drifts))
    expect(groups.map((g) => [g.id, g.subjects])).toEqual([
      ['gained:plan:pro', ['user_ada', 'org_acme']],
      ['failed', ['org_acme']],
      ['lost:courseSlugs:a', ['user_alan']],
      ['switched:plan:enterprise:pro', ['user_alan']],
    ])
  })

  it('filters by name, email or id, and by group', () => {
    const rows = reportRows(drifts)
    expect(filterRows(rows, 'TURING', null).map((r) => r.subject)).toEqual(['user_alan'])
    expect(filterRows(rows, 'ada@', null).map((r) => r.subject)).toEqual(['user_ada'])
    const gainedPro = groupRows(rows).find((g) => g.id === 'gained:plan:pro')!
    expect(filterRows(rows, '', gainedPro).map((r) => r.subject)).toEqual(['user_ada', 'org_acme'])
    expect(filterRows(rows, 'acme', gainedPro).map((r) => r.subject)).toEqual(['org_acme'])
  })

  it('exports CSV with a header, quoted cells, and no formula injection', () => {
    const csv = reportCsv(
      reportRows([{...drifts[0]!, name: '=HYPERLINK("x")', email: 'a"b@example.com'}]),
    )
    expect(csv.split('\r\n')).toEqual([
      '"subject","name","email","status","gained","lost","switched","error"',
      `"user_ada","'=HYPERLINK(""x"")","a""b@example.com","would-change","plan:pro","","",""`,
      '',
    ])
  })
})
