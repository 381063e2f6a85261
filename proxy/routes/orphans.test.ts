/**
 * `GET /orphans` through the real `@clerk/backend` against the Clerk emulator and the real
 * Sanity client against the lake: deleting a user or an organization in Clerk makes the
 * published entitlements naming it show up, and nothing else does.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {OrphansResponse, ProxyErrorBody} from '../../core/contract'
import {entitlement, startProxyHarness, type ProxyHarness} from '../testing/proxy-harness'

let h: ProxyHarness

beforeAll(async () => {
  h = await startProxyHarness()
})
afterAll(() => h?.close())

async function orphans(): Promise<OrphansResponse['orphans']> {
  const response = await h.call('/orphans', {as: 'viewer'})
  expect(response.status).toBe(200)
  return ((await response.json()) as OrphansResponse).orphans
}

describe('GET /orphans', () => {
  it('lists the published entitlements of a user and an organization deleted in Clerk', async () => {
    const staying = h.createUser('Staying')
    const leaving = h.createUser('Leaving')
    const organization = h.clerk.store.createOrganization({name: 'Closing Ltd'}).id
    await h.publish(
      entitlement('orph-staying', staying),
      entitlement('orph-leaving', leaving),
      entitlement('orph-org', organization),
      // A draft names nobody: drafts never grant.
      entitlement('drafts.orph-draft', leaving),
    )
    expect(await orphans()).toEqual([])

    h.clerk.store.deleteUser(leaving)
    h.clerk.store.deleteOrganization(organization)
    expect(await orphans()).toEqual([
      {entitlementId: 'orph-leaving', title: `${leaving} plan-pro`, subject: leaving, kind: 'user'},
      {
        entitlementId: 'orph-org',
        title: `${organization} plan-pro`,
        subject: organization,
        kind: 'organization',
      },
    ])
  })

  it('needs a signed-in Studio user', async () => {
    const response = await h.call('/orphans', {as: null})
    expect(response.status).toBe(401)
    expect(((await response.json()) as ProxyErrorBody).error.code).toBe('unauthorized')
  })
})
