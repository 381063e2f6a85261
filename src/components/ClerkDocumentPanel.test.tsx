import {act, screen, waitFor} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import {Subject} from 'rxjs'
import type {SanityClient, Schema} from 'sanity'
import {beforeEach, describe, expect, it, vi} from 'vitest'

import {syncStatusStore} from '../actions/syncStatusStore'
import {createFakeProxyClient, makeStatus, makeUser} from '../test/fakeProxyClient'
import {renderWithClerk} from '../test/render'
import {ClerkDocumentPanel} from './ClerkDocumentPanel'

interface Row {
  _id: string
  subjects: Array<string | null>
}

const lake = vi.hoisted(() => ({
  versions: [] as Row[],
  referencing: [] as Array<string | null>,
  mutations: null as unknown as import('rxjs').Subject<unknown>,
  queries: [] as Array<{query: string; params: Record<string, unknown>}>,
}))

vi.mock('sanity', async (importOriginal) => ({
  ...(await importOriginal<typeof import('sanity')>()),
  useClient: () =>
    ({
      fetch: async (query: string, params: Record<string, unknown>) => {
        lake.queries.push({query, params})
        return {versions: lake.versions, referencing: lake.referencing}
      },
      listen: () => lake.mutations,
    }) as unknown as SanityClient,
  useSchema: () =>
    ({
      get: (name: string) =>
        name === 'clerkEntitlement'
          ? {
              name,
              jsonType: 'object',
              fields: [
                {name: 'title', type: {name: 'string', jsonType: 'string'}},
                {name: 'clerkUserId', type: {name: 'clerkUserId', type: {name: 'string'}}},
                {
                  name: 'clerkOrganizationId',
                  type: {name: 'clerkOrganizationId', type: {name: 'string'}},
                },
              ],
            }
          : {name, jsonType: 'object', fields: [{name: 'title', type: {name: 'string'}}]},
    }) as unknown as Schema,
}))

const ada = makeUser('user_ada1', 'Ada Lovelace')
const alan = makeUser('user_alan2', 'Alan Turing')

function proxy() {
  const client = createFakeProxyClient()
  client.statuses.set(ada.id, makeStatus(ada))
  client.statuses.set(alan.id, makeStatus(alan))
  return client
}

beforeEach(() => {
  lake.versions = []
  lake.referencing = []
  lake.queries = []
  lake.mutations = new Subject()
})

describe('ClerkDocumentPanel', () => {
  it('finds the entitlement’s subject from its fields and shows its panel', async () => {
    lake.versions = [{_id: 'ent-1', subjects: ['user_ada1', null]}]
    renderWithClerk(<ClerkDocumentPanel documentId="ent-1" documentType="clerkEntitlement" />, {
      client: proxy(),
    })
    expect(await screen.findByTestId('clerk-panel-profile')).toHaveTextContent('Ada Lovelace')
    expect(lake.queries[0]!.query).toContain('"subjects": [clerkUserId, clerkOrganizationId]')
    expect(lake.queries[0]!.params).toMatchObject({
      ids: ['ent-1', 'drafts.ent-1'],
      publishedId: 'ent-1',
    })
  })

  it('warns when the draft moves access to another subject, and follows live edits', async () => {
    lake.versions = [
      {_id: 'ent-2', subjects: ['user_ada1', null]},
      {_id: 'drafts.ent-2', subjects: ['user_alan2', null]},
    ]
    renderWithClerk(
      <ClerkDocumentPanel documentId="drafts.ent-2" documentType="clerkEntitlement" />,
      {client: proxy()},
    )
    expect(await screen.findByTestId('clerk-panel-subject-change')).toHaveTextContent(
      'grants to user_ada1; publishing the draft moves this access to user_alan2',
    )
    expect(await screen.findByTestId('clerk-panel-profile')).toHaveTextContent('Alan Turing')
    await userEvent.click(screen.getByTestId('clerk-panel-subject-user_ada1'))
    expect(await screen.findByTestId('clerk-panel-profile')).toHaveTextContent('Ada Lovelace')

    lake.versions = [{_id: 'ent-2', subjects: ['user_alan2', null]}]
    act(() => lake.mutations.next({type: 'mutation'}))
    await waitFor(() =>
      expect(screen.queryByTestId('clerk-panel-subject-change')).not.toBeInTheDocument(),
    )
  })

  it('for a plan or course, offers the subjects of entitlements that reference it', async () => {
    lake.versions = [{_id: 'plan-pro', subjects: []}]
    lake.referencing = ['user_alan2', 'user_ada1', 'not-an-id']
    renderWithClerk(<ClerkDocumentPanel documentId="plan-pro" documentType="clerkPlan" />, {
      client: proxy(),
    })
    expect(await screen.findByTestId('clerk-panel-subject-user_alan2')).toHaveAttribute(
      'aria-pressed',
      'true',
    )
    expect(screen.getByTestId('clerk-panel-subject-user_ada1')).toBeInTheDocument()
    expect(screen.queryByTestId('clerk-panel-subject-not-an-id')).not.toBeInTheDocument()
    expect(lake.queries[0]!.query).toContain('"subjects": []')
  })

  it('says what to do when there is no subject yet', async () => {
    lake.versions = [{_id: 'drafts.ent-3', subjects: [null, null]}]
    renderWithClerk(<ClerkDocumentPanel documentId="ent-3" documentType="clerkEntitlement" />, {
      client: proxy(),
    })
    expect(await screen.findByTestId('clerk-panel-no-subject')).toHaveTextContent(
      'only published entitlements grant access',
    )
  })

  it('shows this Studio’s failed sync persistently, with a retry', async () => {
    lake.versions = [{_id: 'ent-4', subjects: ['user_ada1', null]}]
    const client = proxy()
    syncStatusStore.set('ent-4', {
      status: 'failed',
      request: {documentId: 'ent-4'},
      error: {
        kind: 'unreachable',
        title: 'Clerk proxy unreachable',
        description: 'Offline',
        traceId: null,
      },
      at: Date.now(),
    })
    renderWithClerk(
      <ClerkDocumentPanel documentId="drafts.ent-4" documentType="clerkEntitlement" />,
      {client},
    )
    const status = screen.getByTestId('clerk-sync-status')
    expect(status).toHaveAttribute('data-status', 'failed')
    expect(status).toHaveTextContent('Clerk: out of sync (Clerk proxy unreachable)')
    await userEvent.click(screen.getByTestId('clerk-sync-status-retry'))
    await waitFor(() => expect(client.calls.some((c) => c.method === 'sync')).toBe(true))
    expect(client.calls.find((c) => c.method === 'sync')!.args[0]).toEqual({documentId: 'ent-4'})
    await waitFor(() =>
      expect(screen.getByTestId('clerk-sync-status')).toHaveAttribute('data-status', 'synced'),
    )
  })
})

describe('ClerkDocumentPanel: who may retry', () => {
  it('turns Retry sync off with a reason when the proxy says the role may not sync', async () => {
    lake.versions = [{_id: 'ent-5', subjects: ['user_ada1', null]}]
    const client = proxy()
    client.meResponse = {
      sanityUserId: 'p-viewer',
      name: 'Vera',
      roles: ['viewer'],
      permissions: ['read'],
    }
    syncStatusStore.set('ent-5', {
      status: 'failed',
      request: {documentId: 'ent-5'},
      error: {
        kind: 'unreachable',
        title: 'Clerk proxy unreachable',
        description: 'Offline',
        traceId: null,
      },
      at: Date.now(),
    })
    renderWithClerk(
      <ClerkDocumentPanel documentId="drafts.ent-5" documentType="clerkEntitlement" />,
      {client},
    )
    await waitFor(() => expect(screen.getByTestId('clerk-sync-status-retry')).toBeDisabled())
    expect(screen.getByTestId('clerk-sync-status-no-sync')).toHaveTextContent(
      'Your role can view but not sync',
    )
    await waitFor(() => expect(screen.getByTestId('clerk-panel-resync')).toBeDisabled())
  })
})
