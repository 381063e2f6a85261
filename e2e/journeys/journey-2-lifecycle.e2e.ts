/**
 * Journey 2: an entitlement's life. A second entitlement for the same user merges with the
 * first; downgrading it and publishing updates Clerk; unpublishing revokes it; reassigning the
 * first to another user revokes it from the first and grants it to the second; deleting revokes.
 */
import type {Page, Route} from 'playwright-core'
import {describe, expect, it} from 'vitest'

import {waitFor} from '../harness'

import {
  addGrant,
  deleteDocument,
  newEntitlement,
  openDocument,
  openDocumentId,
  pickReference,
  pickSubject,
  openReviewChanges,
  publish,
  recordToasts,
  replaceReference,
  type SeenToast,
  LONG_JOURNEY_MS,
  setUpJourney,
  unpublish,
  waitForClerkMetadata,
} from './support'

const journey = setUpJourney('journey-2')

/** The entitlement size estimate's lake read (the only query with `$referencedIds`). */
function isSizeEstimateRead(url: URL): boolean {
  return url.pathname.includes('/data/query/') && url.searchParams.has('$referencedIds')
}

let failedReads = 0

/** Answers a request after 3 s with a Sanity-shaped 500 (not one the client retries). */
async function failSlowly(route: Route): Promise<void> {
  failedReads++
  await new Promise((resolveDelay) => setTimeout(resolveDelay, 3_000))
  // The page may have moved on (a newer validation run): then nobody waits for the answer.
  await route
    .fulfill({
      status: 500,
      contentType: 'application/json',
      // The Studio reads the lake across origins: without these the browser hides the answer.
      headers: {
        'access-control-allow-origin': route.request().headers()['origin'] ?? '*',
        'access-control-allow-credentials': 'true',
      },
      body: JSON.stringify({
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'The Content Lake could not answer (injected by journey 2)',
      }),
    })
    .catch(() => {})
}

/**
 * Replaces the user of the open entitlement: Replace, search, pick. The form can re-mount the
 * field just after a document opens, which closes the search again (the editor clicks Replace
 * once more), so this repeats until the card shows the new user.
 */
async function replaceSubject(page: Page, query: string, userId: string): Promise<void> {
  const replace = page.locator('[data-testid="clerk-picker-replace"]')
  const search = page.locator('[data-testid="clerk-user-picker-input"]')
  const option = page.locator(`[data-testid="clerk-picker-option-${userId}"]`)
  const card = page.locator('[data-testid="clerk-selected-card"]')
  await waitFor(
    `${userId} picked with Replace`,
    async () => {
      if ((await card.innerText().catch(() => '')).includes(userId)) return true
      if (!(await search.isVisible())) {
        if (await replace.isVisible()) await replace.click({timeout: 2_000}).catch(() => {})
        return false
      }
      await search.fill(query, {timeout: 2_000}).catch(() => {})
      // The picker selects on mousedown (a click's blur would close the list first).
      if (
        await option.waitFor({timeout: 5_000}).then(
          () => true,
          () => false,
        )
      )
        await option.dispatchEvent('mousedown', undefined, {timeout: 2_000}).catch(() => {})
      return false
    },
    {timeoutMs: 60_000, intervalMs: 300},
  )
}

/**
 * Waits for the plugin's success toast of one step and returns its text. `from` is how many
 * toasts were seen before the step, so an earlier step's toast cannot satisfy a later one.
 */
async function outcomeToast(seen: SeenToast[], from: number, line: RegExp): Promise<string> {
  return waitFor(
    `a toast saying ${line}`,
    () => seen.slice(from).find(({text}) => line.test(text))?.text,
    {timeoutMs: 30_000},
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n  toasts seen: ${JSON.stringify(seen.slice(from))}`)
  })
}

describe('journey 2: merge, downgrade, unpublish, reassign and delete', () => {
  it(
    'keeps Clerk equal to what the published entitlements grant at every step',
    async () => {
      const {stack, openStudio, userId, screenshot} = journey()
      const alan = userId('alan.turing@example.com')
      const barbara = userId('barbara.liskov@example.com')
      const studio = await openStudio('editor')
      const {page} = studio
      const toasts = await recordToasts(page)

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
      // Both were created title first, then the user, then Publish clicked at once: a validation
      // run over the title-only draft could end after the user was in (issue 17).
      const createdMark = toasts.length

      // Downgrade the second to Free: the first's Pro now ranks highest.
      let mark = toasts.length
      await replaceReference(page, 'plan', 'Free')
      // The Studio's own "Review changes", read from the lake's history endpoints, shows the
      // edit against the published version (not every field as new) and who made it.
      const review = await openReviewChanges(page)
      const editor = stack.logins.editor.name
      await expect.poll(() => review.innerText(), {timeout: 30_000}).toMatch(/Plan[\s\S]*Free/)
      const changes = await review.innerText()
      expect(changes).toMatch(/From\s*Published:/)
      expect(changes).not.toMatch(/Title|not defined in the schema/)
      await page.getByRole('tab', {name: 'History'}).click()
      const history = page.locator('#history-panel')
      await expect.poll(() => history.innerText(), {timeout: 30_000}).toMatch(/Published/)
      expect(await history.innerText()).not.toMatch(/retention policy/)
      // Each entry names its author (the avatar's title); the editor made every change here.
      await expect
        .poll(() => history.locator(`[title="${editor}"]`).count(), {timeout: 30_000})
        .toBeGreaterThan(0)
      await screenshot(studio, '2-review-changes')
      await publish(page, stack)
      await waitForClerkMetadata(stack, alan, {
        plan: 'pro',
        role: 'editor',
        courseSlugs: ['accessibility', 'structured-content'],
      })
      await outcomeToast(toasts, mark, /Alan Turing moved from the Enterprise plan to Pro/)

      mark = toasts.length
      await unpublish(page)
      await waitForClerkMetadata(stack, alan, {plan: 'pro', courseSlugs: ['structured-content']})
      await outcomeToast(toasts, mark, /Alan Turing lost Editor and Accessible Interfaces/)
      await screenshot(studio, '2-unpublished')

      // Reassign the first entitlement from Alan to Barbara, the way the editor did:
      // retitle and click Publish at once, often while the Studio still validates the edit.
      // Meanwhile the lake answers the size estimate's read slowly and then fails. Sanity makes
      // any validator that throws an error marker (even a warning rule): Publish would stay
      // disabled, and a publish clicked while validating would end in "Validation errors". The
      // estimate must say, as a warning, that it could not read the lake.
      await openDocument(page, stack.studioUrl, 'clerkEntitlement', first)
      mark = toasts.length
      await page.route(isSizeEstimateRead, failSlowly)
      // Replace keeps Alan set until Barbara is picked: the draft never lacks a subject, whose
      // "choose a subject" error Sanity could still report, under load, after Barbara is in.
      await replaceSubject(page, 'barbara.l', barbara)
      const publishButton = page.locator('[data-testid="action-publish"]')
      await expect.poll(() => publishButton.isEnabled(), {timeout: 30_000}).toBe(true)
      await page.locator('[data-testid="field-title"] input').fill('Barbara Liskov: Pro')
      await publishButton.click()
      // A throwing estimate would leave an error marker: Publish disabled, or "Validation errors".
      await publish(page, stack)
      expect(failedReads).toBeGreaterThan(0)
      await page.unroute(isSizeEstimateRead, failSlowly)
      await waitForClerkMetadata(stack, alan, {})
      await waitForClerkMetadata(stack, barbara, {plan: 'pro', courseSlugs: ['structured-content']})
      const reassigned = await outcomeToast(toasts, mark, /Barbara Liskov gained/)
      expect(toasts.slice(mark).filter(({text}) => /Validation errors/.test(text))).toEqual([])
      expect(reassigned).toMatch(/Barbara Liskov gained Pro and Structured Content 101/)
      expect(reassigned).toMatch(/Alan Turing lost Pro and Structured Content 101/)
      await screenshot(studio, '3-reassigned')

      mark = toasts.length
      await deleteDocument(page)
      await waitForClerkMetadata(stack, barbara, {})
      await outcomeToast(toasts, mark, /Barbara Liskov lost Pro and Structured Content 101/)
      await openDocument(page, stack.studioUrl, 'clerkEntitlement', second).catch(() => {})
      await screenshot(studio, '4-deleted')
      // Checked last, so a regression still lets the steps above show what else broke.
      const created = toasts.slice(0, createdMark)
      expect(created.filter(({text}) => /Validation errors/.test(text))).toEqual([])
    },
    LONG_JOURNEY_MS,
  )
})
