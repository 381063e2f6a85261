/**
 * Journey 2: an entitlement's life. A second entitlement for the same user merges with the
 * first; downgrading it and publishing updates Clerk; unpublishing revokes it; reassigning the
 * first to another user revokes it from the first and grants it to the second; deleting revokes.
 */
import {describe, it} from 'vitest'

import {
  addGrant,
  deleteDocument,
  newEntitlement,
  openDocument,
  openDocumentId,
  pickReference,
  pickSubject,
  publish,
  replaceReference,
  LONG_JOURNEY_MS,
  setUpJourney,
  unpublish,
  waitForClerkMetadata,
} from './support'

const journey = setUpJourney('journey-2')

describe('journey 2: merge, downgrade, unpublish, reassign and delete', () => {
  it(
    'keeps Clerk equal to what the published entitlements grant at every step',
    async () => {
      const {stack, openStudio, userId, screenshot} = journey()
      const alan = userId('alan.turing@example.com')
      const barbara = userId('barbara.liskov@example.com')
      const studio = await openStudio('editor')
      const {page} = studio

      await newEntitlement(page, stack.studioUrl)
      await page.locator('[data-testid="field-title"] input').fill('Alan Turing: Pro')
      await pickSubject(page, 'user', 'alan.tur', alan)
      await pickReference(page, 'input#plan', 'Pro')
      await addGrant(page, 'Structured Content 101')
      await publish(page, stack)
      const first = openDocumentId(page)
      await waitForClerkMetadata(stack, alan, {plan: 'pro', courseSlugs: ['structured-content']})

      await newEntitlement(page, stack.studioUrl)
      await page.locator('[data-testid="field-title"] input').fill('Alan Turing: Enterprise editor')
      await pickSubject(page, 'user', 'Turing', alan)
      await pickReference(page, 'input#plan', 'Enterprise')
      await pickReference(page, 'input#role', 'Editor')
      await addGrant(page, 'Accessible Interfaces')
      await publish(page, stack)
      const second = openDocumentId(page)
      await waitForClerkMetadata(stack, alan, {
        plan: 'enterprise',
        role: 'editor',
        courseSlugs: ['accessibility', 'structured-content'],
      })
      await screenshot(studio, '1-merged')

      // Downgrade the second to Free: the first's Pro now ranks highest.
      await replaceReference(page, 'plan', 'Free')
      await publish(page, stack)
      await waitForClerkMetadata(stack, alan, {
        plan: 'pro',
        role: 'editor',
        courseSlugs: ['accessibility', 'structured-content'],
      })

      await unpublish(page)
      await waitForClerkMetadata(stack, alan, {plan: 'pro', courseSlugs: ['structured-content']})
      await screenshot(studio, '2-unpublished')

      // Reassign the first entitlement from Alan to Barbara.
      await openDocument(page, stack.studioUrl, 'clerkEntitlement', first)
      await page.locator('[data-testid="clerk-picker-clear"]').click()
      await pickSubject(page, 'user', 'barbara.l', barbara)
      await publish(page, stack)
      await waitForClerkMetadata(stack, alan, {})
      await waitForClerkMetadata(stack, barbara, {plan: 'pro', courseSlugs: ['structured-content']})
      await screenshot(studio, '3-reassigned')

      await deleteDocument(page)
      await waitForClerkMetadata(stack, barbara, {})
      await openDocument(page, stack.studioUrl, 'clerkEntitlement', second).catch(() => {})
      await screenshot(studio, '4-deleted')
    },
    LONG_JOURNEY_MS,
  )
})
