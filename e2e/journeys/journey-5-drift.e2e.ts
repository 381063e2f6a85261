/**
 * Journey 5: someone edits metadata directly in Clerk. The panel shows the drift and its Resync
 * repairs it; then an administrator's "Reconcile all" shows a dry-run diff with a progress bar and
 * changes nothing, and applying it fixes every drifted subject.
 */
import {describe, expect, it} from 'vitest'

import {expectAccessible} from '../harness'
import {
  clerkPublicMetadata,
  editClerkUnnoticed,
  openClerkPanel,
  openDocument,
  LONG_JOURNEY_MS,
  setUpJourney,
  waitForClerkMetadata,
} from './support'

const journey = setUpJourney('journey-5')

describe('journey 5: drift made in Clerk is shown and repaired', () => {
  it('shows drift in the panel and Resync repairs it', async () => {
    const {stack, openStudio, userId, screenshot} = journey()
    const margaret = userId('margaret.hamilton@example.com')
    const synced = clerkPublicMetadata(stack, margaret)
    expect(synced).toEqual({plan: 'pro', courseSlugs: ['data-visualization', 'edge-functions']})

    // Someone upgrades her by hand in Clerk's dashboard, and adds a key the plugin does not own.
    await editClerkUnnoticed(stack, () =>
      stack.clerk.store.updateMetadata(margaret, {
        public_metadata: {plan: 'enterprise', courseSlugs: null, theme: 'dark'},
      }),
    )

    const studio = await openStudio('editor')
    const {page} = studio
    await openDocument(page, stack.studioUrl, 'clerkEntitlement', 'entitlement-margaret-hamilton')
    await openClerkPanel(page)
    const drift = page.locator('[data-testid="clerk-panel-drift"]')
    await expect.poll(() => drift.getAttribute('data-drift'), {timeout: 20_000}).not.toBe('none')
    await expect.poll(() => drift.innerText()).toContain('enterprise')
    await screenshot(studio, '1-drift-shown')

    await page.locator('[data-testid="clerk-panel-resync"]').click()
    await waitForClerkMetadata(stack, margaret, {...synced, theme: 'dark'})
    await expect.poll(() => drift.getAttribute('data-drift'), {timeout: 20_000}).toBe('none')
    await screenshot(studio, '2-resynced')
  })

  it(
    'reconciles everything from the Access tool: dry run first, then apply',
    async () => {
      const {stack, openStudio, userId, organizationId, screenshot} = journey()
      const donald = userId('donald.knuth@example.com')
      const frances = userId('frances.allen@example.com')
      const acme = organizationId('acme-learning')
      const expected = {
        [donald]: clerkPublicMetadata(stack, donald) ?? {},
        [frances]: clerkPublicMetadata(stack, frances) ?? {},
        [acme]: clerkPublicMetadata(stack, acme) ?? {},
      }
      await editClerkUnnoticed(stack, () => {
        stack.clerk.store.updateMetadata(donald, {public_metadata: {plan: null, role: 'learner'}})
        stack.clerk.store.updateMetadata(frances, {
          public_metadata: {courseSlugs: ['accessibility']},
        })
        stack.clerk.store.updateMetadata(acme, {public_metadata: {plan: 'enterprise'}})
      })
      const drifted = Object.fromEntries(
        Object.keys(expected).map((id) => [id, clerkPublicMetadata(stack, id)]),
      )

      const studio = await openStudio('administrator')
      const {page} = studio
      await page.goto(`${stack.studioUrl}/clerk-access`)
      await page.locator('[data-testid="clerk-tool-reconcile-dry-run"]').click()
      const progress = page.locator('[data-testid="clerk-tool-progress"]')
      await progress.waitFor({timeout: 30_000})
      await expect.poll(() => progress.getAttribute('data-phase'), {timeout: 120_000}).toBe('done')
      for (const id of Object.keys(expected)) {
        await page.locator(`[data-testid="clerk-tool-drift-${id}"]`).waitFor()
      }
      await expect(page.locator('[data-testid="clerk-tool-progress-bar"]').count()).resolves.toBe(1)
      await screenshot(studio, '3-dry-run')
      await expectAccessible(page, '[data-testid="clerk-tool"]', 'The Access tool')
      // A dry run writes nothing.
      for (const id of Object.keys(expected))
        expect(clerkPublicMetadata(stack, id)).toEqual(drifted[id])

      await page.locator('[data-testid="clerk-tool-reconcile-apply"]').click()
      const summary = page.locator('[data-testid="clerk-tool-summary"]')
      await expect
        .poll(() => summary.innerText(), {timeout: 120_000})
        .toMatch(/^Done: .*3 updated, 0 failed/)
      for (const [id, metadata] of Object.entries(expected))
        await waitForClerkMetadata(stack, id, metadata)
      await screenshot(studio, '4-applied')
    },
    LONG_JOURNEY_MS,
  )
})
