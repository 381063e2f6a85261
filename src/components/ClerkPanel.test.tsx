import {screen, waitFor} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {describe, expect, it} from 'vitest'

import {
  createFakeProxyClient,
  makeOrganization,
  makeStatus,
  makeUser,
} from '../test/fakeProxyClient'
import {clerkQueryKeys} from '../client/queries'
import {renderWithClerk} from '../test/render'
import {ClerkPanel} from './ClerkPanel'

const ada = makeUser('user_ada1', 'Ada Lovelace')

function clientWith(status: ReturnType<typeof makeStatus>) {
  const client = createFakeProxyClient()
  client.statuses.set(status.subject, status)
  return client
}

describe('ClerkPanel', () => {
  it('shows profile, effective access with its sources, last sync and the session note', async () => {
    const client = clientWith(
      makeStatus(ada, {
        effective: {
          metadata: {plan: 'pro', courseSlugs: ['intro', 'advanced']},
          sources: [
            {
              entitlementId: 'ent-pro',
              title: 'Pro for Ada',
              plan: 'pro',
              role: null,
              grants: {courseSlugs: ['intro']},
              validFrom: null,
              validUntil: null,
              active: true,
            },
            {
              entitlementId: 'ent-old',
              title: 'Expired trial',
              plan: 'basic',
              role: null,
              grants: {},
              validFrom: null,
              validUntil: '2020-01-01T00:00:00Z',
              active: false,
            },
          ],
        },
        clerk: {publicMetadata: {plan: 'pro', courseSlugs: ['intro', 'advanced']}},
      }),
    )
    renderWithClerk(<ClerkPanel subject="user_ada1" />, {client})
    expect(await screen.findByTestId('clerk-panel-profile')).toHaveTextContent('Ada Lovelace')
    expect(screen.getByTestId('clerk-panel-effective')).toHaveTextContent(
      'courseSlugsintro, advanced',
    )
    expect(screen.getByTestId('clerk-panel-source-ent-pro')).toHaveTextContent(
      'plan pro · courseSlugs: intro',
    )
    expect(screen.getByTestId('clerk-panel-source-ent-old')).toHaveTextContent('Not active now')
    expect(screen.getByTestId('clerk-panel-drift')).toHaveAttribute('data-drift', 'none')
    expect(screen.getByTestId('clerk-panel-last-sync')).toHaveTextContent('trace trace-1')
    expect(screen.getByTestId('clerk-panel-session-note')).toHaveTextContent('about 60 s')
    expect(screen.queryByTestId('clerk-panel-private')).not.toBeInTheDocument()
  })

  it('shows drift key by key and resyncs with one click', async () => {
    const client = clientWith(
      makeStatus(ada, {
        clerk: {publicMetadata: {plan: 'basic'}},
        drift: [
          {key: 'plan', clerk: 'basic', sanity: 'pro'},
          {key: 'courseSlugs', clerk: null, sanity: ['intro']},
        ],
      }),
    )
    client.syncResponse = (request) => ({
      results: (request.subjects ?? []).map((subject) => ({
        subject,
        outcome: 'updated' as const,
        changes: {plan: 'pro', courseSlugs: ['intro']},
      })),
    })
    renderWithClerk(<ClerkPanel subject="user_ada1" />, {client})
    const drift = await screen.findByTestId('clerk-panel-drift')
    expect(drift).toHaveAttribute('data-drift', '2')
    expect(drift).toHaveTextContent('Clerk has: basic')
    expect(drift).toHaveTextContent('Sanity says: pro')
    expect(drift).toHaveTextContent('Clerk has: —')

    client.statuses.set(
      'user_ada1',
      makeStatus(ada, {clerk: {publicMetadata: {plan: 'pro', courseSlugs: ['intro']}}}),
    )
    await userEvent.click(screen.getByTestId('clerk-panel-resync'))
    expect(await screen.findByTestId('clerk-panel-resync-result')).toHaveTextContent(
      'user_ada1: plan → pro; courseSlugs → intro',
    )
    expect(client.calls.find((c) => c.method === 'sync')?.args[0]).toEqual({
      subjects: ['user_ada1'],
    })
    // The status is refetched after the sync, so the drift disappears.
    await waitFor(() =>
      expect(screen.getByTestId('clerk-panel-drift')).toHaveAttribute('data-drift', 'none'),
    )
  })

  it('shows a resync failure without hiding the drift', async () => {
    const client = clientWith(makeStatus(ada, {drift: [{key: 'plan', clerk: null, sanity: 'pro'}]}))
    client.failures.sync = {
      status: 502,
      code: 'clerk_unavailable',
      message: 'Clerk did not answer in time.',
    }
    renderWithClerk(<ClerkPanel subject="user_ada1" />, {client})
    await userEvent.click(await screen.findByTestId('clerk-panel-resync'))
    expect(await screen.findByTestId('clerk-panel-resync-result')).toHaveTextContent(
      'Clerk did not answer in time.',
    )
    expect(screen.getByTestId('clerk-panel-drift')).toHaveAttribute('data-drift', '1')
  })

  it('measures the session claims against the budget', async () => {
    const size = {
      bytes: 1500,
      publicBytes: 1400,
      sessionBudget: 1200,
      limit: 8192,
      overBudget: true,
      overLimit: false,
    }
    renderWithClerk(<ClerkPanel subject="user_ada1" />, {
      client: clientWith(makeStatus(ada, {size})),
    })
    const card = await screen.findByTestId('clerk-panel-size')
    expect(card).toHaveAttribute('data-over-budget', 'true')
    expect(card).toHaveTextContent('Session claims: 1.4 KB of the 1.2 KB budget (over budget')
    expect(card).toHaveTextContent("All metadata: 1.5 KB of Clerk's 8.0 KB limit")
    expect(screen.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100')
  })

  it('shows private metadata when the proxy sends it, and organizations a user belongs to', async () => {
    const status = makeStatus(ada, {
      clerk: {
        publicMetadata: {plan: 'pro'},
        privateMetadata: {sanityClerkSync: {v: 1, hash: 'h', syncedAt: 'now'}},
      },
      organizations: [
        {
          organization: makeOrganization('org_acme1', 'Acme'),
          role: 'org:member',
          metadata: {plan: 'team'},
        },
      ],
    })
    renderWithClerk(<ClerkPanel subject="user_ada1" />, {client: clientWith(status)})
    expect(await screen.findByTestId('clerk-panel-private')).toHaveTextContent('"hash": "h"')
    expect(screen.getByTestId('clerk-panel-organizations')).toHaveTextContent('Acme')
    expect(screen.getByTestId('clerk-panel-organizations')).toHaveTextContent('planteam')
  })

  it('says a subject was deleted in Clerk when the proxy reports it gone', async () => {
    const base = makeStatus(makeUser('user_gone2', 'Gone'))
    const {user: _user, ...rest} = base
    renderWithClerk(<ClerkPanel subject="user_gone2" />, {
      client: clientWith({
        ...rest,
        subject: 'user_gone2',
        status: 'deleted',
        clerk: {publicMetadata: {}},
      }),
    })
    expect(await screen.findByTestId('clerk-panel-profile')).toHaveTextContent(
      'user_gone2Deleted in Clerk',
    )
    expect(screen.getByTestId('clerk-panel-deleted')).toHaveTextContent(
      'deleted in Clerk, so entitlements naming it grant nobody anything',
    )
  })

  it('explains a subject that Clerk does not know and an unreachable proxy', async () => {
    const {unmount} = renderWithClerk(<ClerkPanel subject="user_gone1" />)
    expect(await screen.findByTestId('clerk-panel-error')).toHaveTextContent(
      'user_gone1 does not exist in Clerk',
    )
    unmount()
    const client = createFakeProxyClient()
    client.failures.subjectStatus = 'unreachable'
    renderWithClerk(<ClerkPanel subject="user_ada1" />, {client})
    expect(await screen.findByTestId('clerk-panel-error')).toHaveTextContent(
      'Clerk proxy unreachable',
    )
  })
})

describe('ClerkPanel: who may resync', () => {
  const drifted = () => makeStatus(ada, {drift: [{key: 'plan', clerk: null, sanity: 'pro'}]})

  it('turns Resync off with a reason when the proxy says the role may not sync', async () => {
    const client = clientWith(drifted())
    client.meResponse = {
      sanityUserId: 'p-viewer',
      name: 'Vera',
      roles: ['viewer'],
      permissions: ['read'],
    }
    renderWithClerk(<ClerkPanel subject="user_ada1" />, {client})
    const resync = await screen.findByTestId('clerk-panel-resync')
    await waitFor(() => expect(resync).toBeDisabled())
    expect(screen.getByTestId('clerk-panel-no-sync')).toHaveTextContent(
      'Your role can view but not sync',
    )
    await userEvent.click(resync)
    expect(client.calls.some((c) => c.method === 'sync')).toBe(false)
  })

  it('keeps Resync on while the proxy has not said who the editor is', async () => {
    const client = clientWith(drifted())
    const releaseMe = client.hold('me')
    renderWithClerk(<ClerkPanel subject="user_ada1" />, {client})
    const resync = await screen.findByTestId('clerk-panel-resync')
    expect(client.calls.some((c) => c.method === 'me')).toBe(true)
    expect(resync).toBeEnabled()
    expect(screen.queryByTestId('clerk-panel-no-sync')).not.toBeInTheDocument()
    await userEvent.click(resync)
    await waitFor(() => expect(client.calls.some((c) => c.method === 'sync')).toBe(true))
    releaseMe()
  })

  it('keeps Resync on when asking the proxy who the editor is fails', async () => {
    const client = clientWith(drifted())
    client.failures.me = 'unreachable'
    const {queryClient} = renderWithClerk(<ClerkPanel subject="user_ada1" />, {client})
    await waitFor(() =>
      expect(queryClient.getQueryState(clerkQueryKeys.me())?.status).toBe('error'),
    )
    expect(await screen.findByTestId('clerk-panel-resync')).toBeEnabled()
    expect(screen.queryByTestId('clerk-panel-no-sync')).not.toBeInTheDocument()
  })

  it('links to the member site as this user only when memberSiteUrl is set, and only for users', async () => {
    const client = clientWith(makeStatus(ada))
    const {unmount} = renderWithClerk(<ClerkPanel subject="user_ada1" />, {
      client,
      config: {memberSiteUrl: 'http://localhost:3337/'},
    })
    const link = await screen.findByTestId('clerk-panel-member-site')
    expect(link).toHaveAttribute('href', 'http://localhost:3337/?as=user_ada1')
    expect(link).toHaveAttribute('rel', 'noopener noreferrer')
    expect(link).toHaveTextContent('Open the member site as this user')
    unmount()
    renderWithClerk(<ClerkPanel subject="user_ada1" />, {client})
    await screen.findByTestId('clerk-panel-profile')
    expect(screen.queryByTestId('clerk-panel-member-site')).toBeNull()
  })

  it('offers no member-site link for an organization', async () => {
    const acme = makeOrganization('org_acme9', 'Acme')
    const {user: _user, ...asUser} = makeStatus(ada)
    const client = clientWith({...asUser, subject: acme.id, organization: acme})
    renderWithClerk(<ClerkPanel subject="org_acme9" />, {
      client,
      config: {memberSiteUrl: 'http://localhost:3337/'},
    })
    await screen.findByTestId('clerk-panel-profile')
    expect(screen.queryByTestId('clerk-panel-member-site')).toBeNull()
  })
})
