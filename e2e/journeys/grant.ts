/**
 * The steps of journey 1, shared by journey 8 (which runs them in a Studio that installed the
 * packed plugin): create an entitlement, pick Grace Hopper by part of her email, choose Pro and
 * two courses, publish, then check Clerk and the panel.
 */
import {expect} from 'vitest'

import {expectAccessible} from '../harness'

import {
  addGrant,
  clerkPublicMetadata,
  newEntitlement,
  openClerkPanel,
  pickReference,
  pickSubject,
  publish,
  waitForClerkMetadata,
  type Journey,
} from './support'

export async function grantProWithCourses(journey: Journey, studioUrl: string): Promise<void> {
  const {stack, openStudio, userId, screenshot} = journey
  const grace = userId('grace.hopper@example.com')
  expect(clerkPublicMetadata(stack, grace)).toEqual({})

  const studio = await openStudio('editor')
  const {page} = studio
  await newEntitlement(page, studioUrl)
  await page.locator('[data-testid="field-title"] input').fill('Grace Hopper: Pro with two courses')
  // The picker with its results open: combobox, listbox, options and the live region.
  await page.locator('[data-testid="clerk-user-picker-input"]').fill('grace.hop')
  await page.locator(`[data-testid="clerk-picker-option-${grace}"]`).waitFor({timeout: 40_000})
  await expectAccessible(page, '[data-testid="field-clerkUserId"]', 'The user picker')
  await pickSubject(page, 'user', 'grace.hop', grace)
  await screenshot(studio, '1-user-picked')
  await pickReference(page, 'input#plan', 'Pro')
  await addGrant(page, 'GROQ Fundamentals')
  await addGrant(page, 'Portable Text in Depth')
  await screenshot(studio, '2-filled')

  await publish(page, stack)
  // The outcome toast goes through the host Studio's @sanity/ui ToastProvider: a second copy of
  // @sanity/ui (or a context it cannot reach) shows nothing here.
  await page.locator('[data-testid="clerk-sync-toast"]').first().waitFor({timeout: 30_000})
  await waitForClerkMetadata(stack, grace, {
    plan: 'pro',
    courseSlugs: ['groq-fundamentals', 'portable-text'],
  })

  await openClerkPanel(page)
  const drift = page.locator('[data-testid="clerk-panel-drift"]')
  await expect.poll(() => drift.getAttribute('data-drift'), {timeout: 20_000}).toBe('none')
  const panel = page.locator('[data-testid="clerk-panel"]')
  await expect.poll(() => panel.innerText()).toContain('groq-fundamentals')
  await expectAccessible(page, '[data-testid="clerk-document-panel"]', 'The Clerk panel')
  await screenshot(studio, '3-published-panel')
}
