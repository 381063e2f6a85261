/**
 * The Access tool's orphaned entitlements: listed from `GET /orphans` with a link that opens the
 * entitlement, and a clean-up that deletes it (published and draft, in one transaction) only
 * after the editor confirms, then asks the proxy again.
 */
import {screen, waitFor, within} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type {SanityClient} from 'sanity'
import {route, RouterProvider} from 'sanity/router'
import {describe, expect, it, vi} from 'vitest'

import type {OrphanedEntitlement} from '../../core/contract'
import {createFakeProxyClient} from '../test/fakeProxyClient'
import {renderWithClerk} from '../test/render'
import AccessTool from './AccessTool'

const router = route.create('/', [route.intents('/intent')])

const gone: OrphanedEntitlement = {
  entitlementId: 'ent-gone',
  title: 'Ada Pro',
  subject: 'user_gone1',
  kind: 'user',
}

/** A Studio client whose transactions record their deletions, then commit (or fail). */
function recordingSanity(fail?: string) {
  const deleted: string[][] = []
  const sanity = {
    transaction() {
      const ids: string[] = []
      const transaction = {
        delete(id: string) {
          ids.push(id)
          return transaction
        },
        async commit() {
          if (fail) throw new Error(fail)
          deleted.push(ids)
          return {}
        },
      }
      return transaction
    },
  }
  return {sanity: sanity as unknown as SanityClient, deleted}
}

function renderTool(client = createFakeProxyClient(), sanity?: SanityClient) {
  return renderWithClerk(
    <RouterProvider router={router} state={{}} onNavigate={vi.fn<(options: unknown) => void>()}>
      <AccessTool />
    </RouterProvider>,
    {client, sanity},
  )
}

describe('Access tool: orphaned entitlements', () => {
  it('lists each with its deleted subject and a link that opens the entitlement', async () => {
    const client = createFakeProxyClient()
    client.orphanList = [
      gone,
      {...gone, entitlementId: 'ent-org', subject: 'org_gone1', kind: 'organization', title: null},
    ]
    renderTool(client)
    const row = await screen.findByTestId('clerk-tool-orphan-ent-gone')
    expect(row).toHaveTextContent('User deleted in Clerk')
    expect(row).toHaveTextContent('user_gone1')
    expect(within(row).getByRole('link', {name: 'Ada Pro'})).toHaveAttribute(
      'href',
      expect.stringContaining('id=ent-gone'),
    )
    const org = screen.getByTestId('clerk-tool-orphan-ent-org')
    expect(org).toHaveTextContent('Organization deleted in Clerk')
    // Without a title the id names it.
    expect(within(org).getByRole('link', {name: 'ent-org'})).toBeInTheDocument()
  })

  it('says so when there are none', async () => {
    renderTool()
    expect(await screen.findByTestId('clerk-tool-orphans-none')).toBeInTheDocument()
  })

  it('deletes the entitlement and its draft only after the editor confirms, then asks again', async () => {
    const client = createFakeProxyClient()
    client.orphanList = [gone]
    const {sanity, deleted} = recordingSanity()
    renderTool(client, sanity)
    await userEvent.click(await screen.findByTestId('clerk-tool-orphan-delete-ent-gone'))
    expect(deleted).toEqual([])
    await userEvent.click(screen.getByTestId('clerk-tool-orphan-cancel-ent-gone'))
    expect(deleted).toEqual([])

    await userEvent.click(screen.getByTestId('clerk-tool-orphan-delete-ent-gone'))
    client.orphanList = []
    await userEvent.click(screen.getByTestId('clerk-tool-orphan-confirm-ent-gone'))
    await waitFor(() => expect(deleted).toEqual([['ent-gone', 'drafts.ent-gone']]))
    expect(await screen.findByTestId('clerk-tool-orphans-none')).toBeInTheDocument()
    expect(client.calls.filter((call) => call.method === 'orphans')).toHaveLength(2)
  })

  it('shows why a deletion failed and keeps the row', async () => {
    const client = createFakeProxyClient()
    client.orphanList = [gone]
    const {sanity} = recordingSanity('Insufficient permissions')
    renderTool(client, sanity)
    await userEvent.click(await screen.findByTestId('clerk-tool-orphan-delete-ent-gone'))
    await userEvent.click(screen.getByTestId('clerk-tool-orphan-confirm-ent-gone'))
    expect(await screen.findByTestId('clerk-tool-orphan-error')).toHaveTextContent(
      'Could not delete: Insufficient permissions',
    )
    expect(screen.getByTestId('clerk-tool-orphan-ent-gone')).toBeInTheDocument()
  })

  it('offers no clean-up to a role the proxy does not let sync', async () => {
    const client = createFakeProxyClient()
    client.orphanList = [gone]
    client.meResponse = {...client.meResponse, roles: ['viewer'], permissions: ['read']}
    renderTool(client, recordingSanity().sanity)
    await screen.findByTestId('clerk-tool-orphan-ent-gone')
    await waitFor(() =>
      expect(screen.queryByTestId('clerk-tool-orphan-delete-ent-gone')).not.toBeInTheDocument(),
    )
  })
})
