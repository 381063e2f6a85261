import {screen, waitFor, within} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {describe, expect, it} from 'vitest'

import type {ReconcileEvent} from '../../core/contract'
import {createFakeProxyClient, makeStatus, makeUser} from '../test/fakeProxyClient'
import {renderWithClerk} from '../test/render'
import AccessTool, {PAGE_SIZE} from './AccessTool'

function clientWithUsers(count: number) {
  const client = createFakeProxyClient()
  client.meResponse = {
    sanityUserId: 'p-admin',
    name: 'Ada',
    roles: ['administrator'],
    permissions: ['read', 'sync', 'reconcile', 'readPrivate'],
  }
  client.users = Array.from({length: count}, (_, i) =>
    makeUser(`user_u${i}`, `User ${String(i).padStart(2, '0')}`),
  )
  for (const user of client.users) client.statuses.set(user.id, makeStatus(user))
  return client
}

describe('AccessTool: browsing', () => {
  it('lists users page by page with each row’s access and drift', async () => {
    const client = clientWithUsers(PAGE_SIZE + 3)
    const drifted = client.users[1]!
    client.statuses.set(
      drifted.id,
      makeStatus(drifted, {drift: [{key: 'plan', clerk: null, sanity: 'pro'}]}),
    )
    renderWithClerk(<AccessTool />, {client})
    await screen.findByTestId('clerk-tool-row-user_u0')
    expect(screen.getAllByRole('listitem')).toHaveLength(PAGE_SIZE)
    await waitFor(() =>
      expect(screen.getByTestId('clerk-tool-row-status-user_u1')).toHaveAttribute(
        'data-drift',
        '1',
      ),
    )
    expect(screen.getByTestId('clerk-tool-row-status-user_u1')).toHaveTextContent('Drift (1)')
    expect(screen.getByTestId('clerk-tool-row-status-user_u0')).toHaveTextContent('plan: pro')
    expect(screen.getByTestId('clerk-tool-row-status-user_u0')).toHaveTextContent('In sync')

    await userEvent.click(screen.getByTestId('clerk-tool-next'))
    await screen.findByTestId(`clerk-tool-row-user_u${PAGE_SIZE}`)
    expect(screen.getAllByRole('listitem')).toHaveLength(3)
    expect(screen.getByTestId('clerk-tool-next')).toBeDisabled()
  })

  it('searches, switches to organizations and says when nothing is found', async () => {
    const client = clientWithUsers(5)
    renderWithClerk(<AccessTool />, {client})
    await screen.findByTestId('clerk-tool-row-user_u0')
    await userEvent.type(screen.getByTestId('clerk-tool-search'), 'User 03')
    await waitFor(() => expect(screen.getAllByRole('listitem')).toHaveLength(1))
    expect(screen.getByTestId('clerk-tool-row-user_u3')).toBeInTheDocument()
    await userEvent.click(screen.getByTestId('clerk-tool-tab-organizations'))
    expect(await screen.findByTestId('clerk-tool-empty')).toHaveTextContent(
      'No organizations found',
    )
  })

  it('previews a user’s effective access when a row is chosen', async () => {
    renderWithClerk(<AccessTool />, {client: clientWithUsers(2)})
    await userEvent.click(await screen.findByTestId('clerk-tool-row-user_u1'))
    const preview = screen.getByTestId('clerk-tool-preview')
    expect(await within(preview).findByTestId('clerk-panel-profile')).toHaveTextContent('User 01')
  })

  it('shows why the list is unavailable', async () => {
    const client = createFakeProxyClient()
    client.failures.searchUsers = {
      status: 403,
      code: 'forbidden',
      message: 'Reconcile permission needed.',
    }
    renderWithClerk(<AccessTool />, {client})
    expect(await screen.findByTestId('clerk-tool-error')).toHaveTextContent(
      'Reconcile permission needed.',
    )
  })
})

describe('AccessTool: reconcile', () => {
  const dryRunEvents: ReconcileEvent[] = [
    {type: 'start', dryRun: true},
    {type: 'progress', kind: 'user', scanned: 2, total: 4, drifted: 1, written: 0, failed: 0},
    {
      type: 'drift',
      subject: 'user_u1',
      drift: [{key: 'plan', clerk: 'basic', sanity: 'pro'}],
      applied: false,
    },
    {
      type: 'drift',
      subject: 'user_u3',
      drift: [{key: 'courseSlugs', clerk: ['a'], sanity: null}],
      applied: false,
    },
    {type: 'progress', kind: 'user', scanned: 4, total: 4, drifted: 2, written: 0, failed: 0},
    {type: 'done', scanned: 4, drifted: 2, written: 0, failed: 0},
  ]

  it('runs a dry run first, then applies with progress fed by the stream', async () => {
    const client = clientWithUsers(1)
    client.reconcileEvents = (dryRun) =>
      dryRun
        ? dryRunEvents
        : [
            {type: 'start', dryRun: false},
            {
              type: 'progress',
              kind: 'user',
              scanned: 4,
              total: 4,
              drifted: 2,
              written: 2,
              failed: 0,
            },
            {
              type: 'drift',
              subject: 'user_u1',
              drift: [{key: 'plan', clerk: 'basic', sanity: 'pro'}],
              applied: true,
            },
            {type: 'done', scanned: 4, drifted: 2, written: 2, failed: 0},
          ]
    renderWithClerk(<AccessTool />, {client})
    expect(screen.getByTestId('clerk-tool-reconcile-apply')).toBeDisabled()

    await userEvent.click(screen.getByTestId('clerk-tool-reconcile-dry-run'))
    await waitFor(() =>
      expect(screen.getByTestId('clerk-tool-progress')).toHaveAttribute('data-phase', 'done'),
    )
    expect(screen.getByTestId('clerk-tool-summary')).toHaveTextContent('4 checked, 2 would change')
    expect(screen.getByTestId('clerk-tool-drift-user_u1')).toHaveTextContent('plan: basic → pro')
    expect(screen.getByTestId('clerk-tool-drift-user_u3')).toHaveTextContent('− courseSlugs a')
    expect(screen.getByTestId('clerk-tool-drift-user_u1')).toHaveTextContent('Would change')
    const apply = screen.getByTestId('clerk-tool-reconcile-apply')
    expect(apply).toBeEnabled()
    expect(apply).toHaveTextContent('Apply 2 changes')

    await userEvent.click(apply)
    await waitFor(() =>
      expect(screen.getByTestId('clerk-tool-summary')).toHaveTextContent('2 updated, 0 failed'),
    )
    expect(screen.getByTestId('clerk-tool-progress-bar')).toHaveAttribute('aria-valuenow', '100')
    expect(screen.getByTestId('clerk-tool-drift-user_u1')).toHaveTextContent('Applied')
    const requests = client.calls.filter((c) => c.method === 'reconcile').map((c) => c.args[0])
    expect(requests).toEqual([{dryRun: true}, {dryRun: false}])
    // The report of the run: people with what changes, grouped, filterable.
    expect(screen.getByTestId('clerk-tool-group-switched:plan:basic:pro')).toHaveTextContent(
      'plan basic → pro (1)',
    )
    await userEvent.type(screen.getByTestId('clerk-tool-report-filter'), 'nobody')
    expect(screen.queryByTestId('clerk-tool-drift-user_u1')).not.toBeInTheDocument()
    expect(screen.getByTestId('clerk-tool-report')).toHaveTextContent('Showing 0 of 1')
  }, 60_000)

  it('keeps a dry run’s diff when the Studio remounts the tool', async () => {
    const client = clientWithUsers(1)
    client.reconcileEvents = () => dryRunEvents
    const {rerender} = renderWithClerk(<AccessTool />, {client})
    await userEvent.click(screen.getByTestId('clerk-tool-reconcile-dry-run'))
    await waitFor(() =>
      expect(screen.getByTestId('clerk-tool-progress')).toHaveAttribute('data-phase', 'done'),
    )
    rerender(<></>)
    expect(screen.queryByTestId('clerk-tool')).not.toBeInTheDocument()
    rerender(<AccessTool />)
    expect(screen.getByTestId('clerk-tool-progress')).toHaveAttribute('data-phase', 'done')
    expect(screen.getByTestId('clerk-tool-reconcile-apply')).toHaveTextContent('Apply 2 changes')
  })

  it('reports a run that stops with an error event and keeps Apply off', async () => {
    const client = clientWithUsers(1)
    client.reconcileEvents = () => [
      {type: 'start', dryRun: true},
      {type: 'progress', kind: 'user', scanned: 1, total: 4, drifted: 0, written: 0, failed: 0},
      {type: 'error', error: {code: 'clerk_unavailable', message: 'Clerk stopped answering.'}},
    ]
    renderWithClerk(<AccessTool />, {client})
    await userEvent.click(screen.getByTestId('clerk-tool-reconcile-dry-run'))
    expect(await screen.findByTestId('clerk-tool-reconcile-error')).toHaveTextContent(
      'Clerk stopped answering.',
    )
    expect(screen.getByTestId('clerk-tool-progress')).toHaveAttribute('data-phase', 'failed')
    expect(screen.getByTestId('clerk-tool-progress-bar')).toHaveAttribute('aria-valuenow', '25')
    expect(screen.getByTestId('clerk-tool-reconcile-apply')).toBeDisabled()
  })

  it('names the proxy identity and offers no reconcile without the permission', async () => {
    const client = clientWithUsers(1)
    client.meResponse = {
      sanityUserId: 'p1',
      name: 'Edith',
      roles: ['editor'],
      permissions: ['read', 'sync'],
    }
    renderWithClerk(<AccessTool />, {client})
    expect(await screen.findByTestId('clerk-tool-me')).toHaveTextContent(
      'as Edith (editor): may read, sync',
    )
    expect(screen.getByTestId('clerk-tool-no-reconcile')).toBeInTheDocument()
    expect(screen.getByTestId('clerk-tool-reconcile-dry-run')).toBeDisabled()
  })

  it('says so when the proxy refuses a reconcile', async () => {
    const client = clientWithUsers(1)
    client.failures.reconcile = {
      status: 403,
      code: 'forbidden',
      message: 'Only administrators may reconcile.',
    }
    renderWithClerk(<AccessTool />, {client})
    await userEvent.click(screen.getByTestId('clerk-tool-reconcile-dry-run'))
    expect(await screen.findByTestId('clerk-tool-reconcile-error')).toHaveTextContent(
      'Only administrators may reconcile.',
    )
  })
})

describe('AccessTool: in the Studio locale', () => {
  it('renders browsing, reconcile and its outcome in de-DE', async () => {
    const client = clientWithUsers(2)
    client.reconcileEvents = (dryRun) => [
      {type: 'start', dryRun},
      {type: 'done', scanned: 2, drifted: 1, written: 0, failed: 0},
    ]
    renderWithClerk(<AccessTool />, {client, locale: 'de-DE'})
    expect(await screen.findByText('Clerk-Zugriff')).toBeInTheDocument()
    expect(screen.getByText('Alles abgleichen')).toBeInTheDocument()
    expect(screen.getByTestId('clerk-tool-tab-users')).toHaveTextContent('Benutzer')
    expect(screen.getByTestId('clerk-tool-search')).toHaveAttribute(
      'aria-label',
      'Clerk-Benutzer suchen',
    )
    expect(await screen.findByTestId('clerk-tool-me')).toHaveTextContent(
      'Beim Clerk-Proxy angemeldet als Ada (administrator)',
    )
    await userEvent.click(screen.getByTestId('clerk-tool-reconcile-dry-run'))
    expect(await screen.findByTestId('clerk-tool-summary')).toHaveTextContent(
      'Probelauf beendet: 2 geprüft, 1 würden sich ändern.',
    )
    expect(screen.getByTestId('clerk-tool-reconcile-apply')).toHaveTextContent(
      '1 Änderung anwenden',
    )
  })
})
