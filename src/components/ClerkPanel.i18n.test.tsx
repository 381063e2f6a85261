import {screen} from '@testing-library/react'
import {describe, expect, it, vi} from 'vitest'

import type {AccessHistory} from '../client/accessHistory'
import {createFakeProxyClient, makeStatus, makeUser} from '../test/fakeProxyClient'
import {renderWithClerk} from '../test/render'
import {ClerkPanel} from './ClerkPanel'

const history = vi.hoisted(() => ({
  load: vi.fn<() => Promise<AccessHistory>>(),
}))

vi.mock('../client/accessHistory', () => ({loadAccessHistory: history.load}))

const ada = makeUser('user_ada1', 'Ada Lovelace')
/** Generous waits: CI machines are small and shared. */
const SLOW = {timeout: 15_000}
const lastSyncAt = '2026-11-29T12:00:00.000Z'

function panelClient(
  drift: Array<{key: string; clerk: unknown; sanity: unknown}> = [],
  metadata: Record<string, unknown> = {plan: 'pro'},
) {
  const client = createFakeProxyClient()
  client.statuses.set(
    ada.id,
    makeStatus(ada, {
      drift,
      effective: {
        metadata,
        sources: [
          {
            entitlementId: 'ent-pro',
            title: 'Pro for Ada',
            plan: 'pro',
            role: null,
            grants: {},
            validFrom: null,
            validUntil: null,
            active: true,
          },
        ],
      },
      lastSync: {at: lastSyncAt, hash: 'h', traceId: 'trace-42'},
    }),
  )
  return client
}

function entry(transactionId: string, timestamp: string, author: string, gained: string[]) {
  return {
    transactionId,
    timestamp,
    author: `p-${author}`,
    authorName: author,
    entitlementId: 'ent-pro',
    entitlementTitle: 'Pro for Ada',
    change: {
      subject: ada.id,
      gained: gained.map((value) => ({key: 'plan', value})),
      lost: [],
      switched: [],
    },
  }
}

describe('ClerkPanel in another locale and its access history', () => {
  it('renders in German (de-DE) from the plugin bundle', async () => {
    history.load.mockResolvedValue({entries: [], labels: {}})
    renderWithClerk(<ClerkPanel subject={ada.id} />, {
      client: panelClient([{key: 'plan', clerk: null, sanity: 'pro'}], {
        plan: 'pro',
        courseSlugs: [],
      }),
      locale: 'de-DE',
      sanity: {} as never,
    })
    expect(
      await screen.findByText('Abweichungen zwischen Sanity und Clerk', {}, SLOW),
    ).toBeInTheDocument()
    expect(screen.getByTestId('clerk-panel-drift')).toHaveTextContent(
      'Clerk weicht bei 1 Schlüssel von Sanity ab',
    )
    expect(screen.getByTestId('clerk-panel-resync')).toHaveTextContent('Jetzt synchronisieren')
    // A granted list that is empty is said in words, in the editor's language.
    expect(screen.getByText('(leere Liste)')).toBeInTheDocument()
    expect(screen.getByTestId('clerk-panel-last-sync')).toHaveTextContent('Letzte Synchronisierung')
    expect(await screen.findByTestId('clerk-history-empty', {}, SLOW)).toHaveTextContent(
      'keine Vergabe und kein Entzug',
    )
    // No English left in the panel's own text.
    expect(screen.getByTestId('clerk-panel').textContent).not.toMatch(
      /Drift between|Resync|Last sync|Nothing granted|Access history/,
    )
  }, 60_000)

  it('lists who granted what, through which entitlement, and says only what the last sync shows about reaching Clerk', async () => {
    history.load.mockResolvedValue({
      entries: [
        entry('tx-3', '2026-11-29T13:00:00.000Z', 'Eddie Editor', ['enterprise']),
        entry('tx-2', '2026-11-29T11:00:00.000Z', 'Ada Admin', ['pro']),
        entry('tx-1', '2026-11-29T10:00:00.000Z', 'Ada Admin', ['basic']),
      ],
      labels: {'plan:pro': 'Pro', 'plan:enterprise': 'Enterprise'},
    })
    renderWithClerk(<ClerkPanel subject={ada.id} />, {
      client: panelClient(),
      sanity: {} as never,
    })
    const newest = await screen.findByTestId('clerk-history-entry-tx-3', {}, SLOW)
    expect(newest).toHaveTextContent('Eddie Editor granted Enterprise')
    expect(newest).toHaveTextContent('through “Pro for Ada”')
    expect(newest).toHaveTextContent('Not in Clerk yet')
    expect(screen.getByTestId('clerk-history-entry-tx-2')).toHaveTextContent(
      'Ada Admin granted Pro',
    )
    // Only what the last sync shows: each change was in Clerk by then at the latest, and its
    // trace id names the sync that found the newest one there (not the one that wrote it).
    const synced = new Date(lastSyncAt).toLocaleString()
    expect(screen.getByTestId('clerk-history-entry-tx-2')).toHaveTextContent(
      `In Clerk since ${synced} at the latest · found there by the sync with trace trace-42`,
    )
    const older = screen.getByTestId('clerk-history-entry-tx-1')
    expect(older).toHaveTextContent(`Reached Clerk by ${synced} at the latest`)
    expect(older).not.toHaveTextContent(/trace|In Clerk since/)
    expect(history.load).toHaveBeenCalledWith({}, expect.anything(), {
      subject: ada.id,
      entitlementIds: ['ent-pro'],
    })
  }, 60_000)
})
