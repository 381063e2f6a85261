/**
 * Journey 4: a change made outside the Studio (a script with `@sanity/client`) reaches Clerk
 * through the Content Lake's webhook to the proxy: create, downgrade and delete, each with no
 * Studio involved, and the Studio's panel then agrees with Clerk.
 */
import {createClient} from '@sanity/client'
import {describe, expect, it} from 'vitest'

import {courseId, planId} from '../../demo/seed/sanity'
import {openClerkPanel, openDocument, setUpJourney, waitForClerkMetadata} from './support'

const journey = setUpJourney('journey-4')
const ENTITLEMENT_ID = 'entitlement-linus-from-a-script'

describe('journey 4: a change outside the Studio reaches Clerk through the webhook', () => {
  it('syncs a script’s create, update and delete', async () => {
    const {stack, openStudio, userId, screenshot} = journey()
    const linus = userId('linus.torvalds@example.com')
    const client = createClient(stack.lake.clientConfig('administrator'))

    await client.create({
      _id: ENTITLEMENT_ID,
      _type: 'clerkEntitlement',
      title: 'Linus Torvalds: Enterprise (imported by a script)',
      clerkUserId: linus,
      plan: {_type: 'reference', _ref: planId('enterprise')},
      grants: [{_type: 'reference', _ref: courseId('edge-functions'), _key: 'edge'}],
    })
    await waitForClerkMetadata(stack, linus, {plan: 'enterprise', courseSlugs: ['edge-functions']})

    await client
      .patch(ENTITLEMENT_ID)
      .set({plan: {_type: 'reference', _ref: planId('pro')}})
      .commit()
    await waitForClerkMetadata(stack, linus, {plan: 'pro', courseSlugs: ['edge-functions']})

    const deliveries = stack.lake.webhooks.attempts.filter((a) => a.documentId === ENTITLEMENT_ID)
    expect(deliveries.map((a) => [a.operation, a.status])).toEqual([
      ['create', 200],
      ['update', 200],
    ])

    const studio = await openStudio('editor')
    await openDocument(studio.page, stack.studioUrl, 'clerkEntitlement', ENTITLEMENT_ID)
    await openClerkPanel(studio.page)
    const drift = studio.page.locator('[data-testid="clerk-panel-drift"]')
    await expect.poll(() => drift.getAttribute('data-drift'), {timeout: 20_000}).toBe('none')
    await screenshot(studio, '1-script-change-in-panel')

    await client.delete(ENTITLEMENT_ID)
    await waitForClerkMetadata(stack, linus, {})
  })
})
