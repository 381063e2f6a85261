/**
 * Journey 6: failure. With Clerk answering 503 for the user, and later with the proxy stopped,
 * publishing still succeeds (the content is safe in the Content Lake), the editor sees a clear
 * error with a Retry button, and a retry once things are back syncs Clerk.
 */
import {describe, expect, it} from 'vitest'

import {
  LONG_JOURNEY_MS,
  newEntitlement,
  openDocumentId,
  pickReference,
  pickSubject,
  publish,
  replaceReference,
  setUpJourney,
  waitForClerkMetadata,
} from './support'

const journey = setUpJourney('journey-6')

describe('journey 6: Clerk or the proxy down while publishing', () => {
  it(
    'publishes anyway, explains the failure, and a retry syncs',
    async () => {
      const {stack, openStudio, userId, screenshot} = journey()
      const edsger = userId('edsger.dijkstra@example.com')
      const studio = await openStudio('editor')
      const {page} = studio
      const toast = page.locator('[data-testid="clerk-sync-toast"]')
      const retry = page.locator('[data-testid="clerk-sync-retry"]')

      await newEntitlement(page, stack.studioUrl)
      await page.locator('[data-testid="field-title"] input').fill('Edsger Dijkstra: Pro')
      await pickSubject(page, 'user', 'edsger', edsger)
      await pickReference(page, 'input#plan', 'Pro')

      // Clerk fails every request about this user (the webhook's deliveries too): by id, and
      // lists that name them (the proxy's batched re-checks).
      const outages = [
        stack.clerk.faults.add({
          path: new RegExp(`^/v1/users/${edsger}`),
          times: Infinity,
          fault: {type: 'status', status: 503},
        }),
        stack.clerk.faults.add({
          path: '/v1/users',
          query: {user_id: edsger},
          times: Infinity,
          fault: {type: 'status', status: 503},
        }),
      ]
      await publish(page, stack)
      const id = openDocumentId(page)
      await expect
        .poll(() => stack.lake.getDocument(id), {timeout: 20_000})
        .toMatchObject({clerkUserId: edsger})
      await retry.waitFor({timeout: 60_000})
      await expect.poll(() => toast.innerText()).toMatch(/Clerk/)
      await screenshot(studio, '1-clerk-503')
      expect(stack.clerk.store.getUser(edsger)?.public_metadata).toEqual({})

      for (const outage of outages) outage.remove()
      await retry.click()
      await waitForClerkMetadata(stack, edsger, {plan: 'pro'})

      // Now the proxy itself is gone.
      await stack.stopProxy()
      try {
        await replaceReference(page, 'plan', 'Enterprise')
        await publish(page, stack)
        await expect
          .poll(() => stack.lake.getDocument(id)?.plan, {timeout: 20_000})
          .toMatchObject({_ref: 'plan-enterprise'})
        await retry.waitFor({timeout: 60_000})
        await expect.poll(() => toast.innerText()).toMatch(/proxy|reach/i)
        await screenshot(studio, '2-proxy-down')
        expect(stack.clerk.store.getUser(edsger)?.public_metadata).toEqual({plan: 'pro'})
      } finally {
        await stack.startProxy()
      }
      await retry.click()
      await waitForClerkMetadata(stack, edsger, {plan: 'enterprise'})
      await screenshot(studio, '3-retried')
    },
    LONG_JOURNEY_MS,
  )
})
