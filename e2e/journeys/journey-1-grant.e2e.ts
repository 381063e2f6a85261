/**
 * Journey 1: an editor grants access. They create an entitlement, find a Clerk user in the
 * picker by part of the email, choose a plan and courses, and publish. Clerk then holds exactly
 * the computed metadata, and the Clerk panel shows it live with no drift.
 */
import {describe, expect, it} from 'vitest'

import {
  addGrant,
  clerkPublicMetadata,
  newEntitlement,
  openClerkPanel,
  pickReference,
  pickSubject,
  publish,
  setUpJourney,
  waitForClerkMetadata,
} from './support'

const journey = setUpJourney('journey-1')

describe('journey 1: an editor grants a plan and courses to a Clerk user', () => {
  it('publishes an entitlement and Clerk holds the metadata, shown live in the panel', async () => {
    const {stack, openStudio, userId, screenshot} = journey()
    const grace = userId('grace.hopper@example.com')
    expect(clerkPublicMetadata(stack, grace)).toEqual({})

    const studio = await openStudio('editor')
    const {page} = studio
    await newEntitlement(page, stack.studioUrl)
    await page
      .locator('[data-testid="field-title"] input')
      .fill('Grace Hopper: Pro with two courses')
    await pickSubject(page, 'user', 'grace.hop', grace)
    await screenshot(studio, '1-user-picked')
    await pickReference(page, 'input#plan', 'Pro')
    await addGrant(page, 'GROQ Fundamentals')
    await addGrant(page, 'Portable Text in Depth')
    await screenshot(studio, '2-filled')

    await publish(page, stack)
    await waitForClerkMetadata(stack, grace, {
      plan: 'pro',
      courseSlugs: ['groq-fundamentals', 'portable-text'],
    })

    await openClerkPanel(page)
    const drift = page.locator('[data-testid="clerk-panel-drift"]')
    await expect.poll(() => drift.getAttribute('data-drift'), {timeout: 20_000}).toBe('none')
    const panel = page.locator('[data-testid="clerk-panel"]')
    await expect.poll(() => panel.innerText()).toContain('groq-fundamentals')
    await screenshot(studio, '3-published-panel')
  })
})
