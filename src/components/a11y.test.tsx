/**
 * Structural accessibility of the plugin's UI with axe-core in jsdom: names, roles, ARIA wiring.
 * Layout rules (colour contrast, target size) need a real browser: the journeys scan those.
 */
import {screen} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import axe from 'axe-core'
import {describe, expect, it} from 'vitest'

import {createFakeProxyClient, makeStatus, makeUser} from '../test/fakeProxyClient'
import {stringInputProps} from '../test/inputProps'
import {renderWithClerk} from '../test/render'
import AccessTool from './AccessTool'
import {ClerkPanel} from './ClerkPanel'
import {ClerkUserIdInput} from './ClerkSubjectInput'

const SLOW = {timeout: 15_000}

async function seriousViolations(root: Element): Promise<string[]> {
  const result = await axe.run(root, {
    resultTypes: ['violations'],
    rules: {'color-contrast': {enabled: false}, region: {enabled: false}},
  })
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

function client() {
  const fake = createFakeProxyClient()
  fake.meResponse = {
    sanityUserId: 'p1',
    name: 'Ada Admin',
    roles: ['administrator'],
    permissions: ['read', 'search', 'sync', 'reconcile'],
  }
  fake.users = [makeUser('user_ada1', 'Ada Lovelace'), makeUser('user_alan2', 'Alan Turing')]
  for (const user of fake.users) fake.statuses.set(user.id, makeStatus(user))
  fake.reconcileEvents = () => [
    {type: 'start', dryRun: true},
    {
      type: 'drift',
      subject: 'user_ada1',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      drift: [{key: 'plan', clerk: null, sanity: 'pro'}],
      applied: false,
    },
    {type: 'done', scanned: 2, drifted: 1, written: 0, failed: 0},
  ]
  return fake
}

describe('accessibility (axe, no serious or critical violations)', () => {
  it('the picker with its results open', async () => {
    const {container} = renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {
      client: client(),
    })
    await userEvent.type(screen.getByRole('combobox'), 'a')
    await screen.findByTestId('clerk-picker-option-user_alan2', {}, SLOW)
    expect(await seriousViolations(container)).toEqual([])
  }, 60_000)

  it('the Clerk panel', async () => {
    const {container} = renderWithClerk(<ClerkPanel subject="user_ada1" />, {client: client()})
    await screen.findByTestId('clerk-panel-profile', {}, SLOW)
    expect(await seriousViolations(container)).toEqual([])
  }, 60_000)

  it('the Access tool with a dry run’s report', async () => {
    const {container} = renderWithClerk(<AccessTool />, {client: client()})
    await userEvent.click(await screen.findByTestId('clerk-tool-reconcile-dry-run', {}, SLOW))
    await screen.findByTestId('clerk-tool-drift-user_ada1', {}, SLOW)
    expect(await seriousViolations(container)).toEqual([])
  }, 60_000)
})
