/**
 * Journey 3: an organization entitlement syncs to the organization's metadata, and a member's
 * Clerk panel shows both what they hold themselves and what their organization grants.
 */
import {describe, expect, it} from 'vitest'

import type {SubjectStatusResponse} from '../../core/contract'
import {
  addGrant,
  newEntitlement,
  openClerkPanel,
  openDocument,
  pickReference,
  pickSubject,
  publish,
  setUpJourney,
  waitForClerkMetadata,
} from './support'

const journey = setUpJourney('journey-3')

describe('journey 3: access through an organization', () => {
  it('syncs an organization entitlement and shows it on a member', async () => {
    const {stack, openStudio, userId, organizationId, screenshot} = journey()
    const orbit = organizationId('orbit-labs')
    const frances = userId('frances.allen@example.com')
    const studio = await openStudio('editor')
    const {page} = studio

    await newEntitlement(page, stack.studioUrl)
    await page.locator('[data-testid="field-title"] input').fill('Orbit Labs: Enterprise team')
    await pickSubject(page, 'organization', 'orbit', orbit)
    await pickReference(page, 'input#plan', 'Enterprise')
    await addGrant(page, 'Edge Functions')
    await screenshot(studio, '1-organization-picked')
    await publish(page, stack)
    await waitForClerkMetadata(stack, orbit, {plan: 'enterprise', courseSlugs: ['edge-functions']})
    // Her own metadata is untouched: organization access lives on the organization.
    await waitForClerkMetadata(stack, frances, {
      plan: 'free',
      role: 'learner',
      courseSlugs: ['structured-content'],
    })

    await openDocument(page, stack.studioUrl, 'clerkEntitlement', 'entitlement-frances-allen')
    await openClerkPanel(page)
    const organizations = page.locator('[data-testid="clerk-panel-organizations"]')
    await expect.poll(() => organizations.innerText(), {timeout: 20_000}).toContain('Orbit Labs')
    await expect.poll(() => organizations.innerText()).toContain('edge-functions')
    const own = page.locator('[data-testid="clerk-panel-effective"]')
    await expect.poll(() => own.innerText()).toContain('structured-content')
    await screenshot(studio, '2-member-panel')

    const response = await fetch(`${stack.proxyUrl}/users/${frances}`, {
      headers: {authorization: `Bearer ${stack.logins.editor.token}`},
    })
    const status = (await response.json()) as SubjectStatusResponse
    expect(status.organizations?.find((o) => o.organization.id === orbit)?.metadata).toEqual({
      plan: 'enterprise',
      courseSlugs: ['edge-functions'],
    })
  })
})
