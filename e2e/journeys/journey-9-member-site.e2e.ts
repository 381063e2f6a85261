/**
 * Journey 9: the signed-in side. A member signs in on the demo's member site in one browser
 * context while an editor works in the Studio in another. Every change the editor publishes
 * reaches the member after the next token refresh: a grant shows, a downgrade, an unpublish and a
 * reassignment hide again, and so does an entitlement whose `validUntil` passes. A member with no
 * entitlement sees only locked courses; a forged or expired `__session` is refused. Each step
 * records the time from publish to what the member sees (`e2e/artifacts/journey-9-timings.json`).
 *
 * One stack and one browser for all of it, with a short token refresh (1.5 s) and validity sweep
 * (2 s), so the journey takes about a minute.
 */
import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {createClient} from '@sanity/client'
import type {BrowserContext, Page} from 'playwright-core'
import {describe, expect, it} from 'vitest'

import {planId, courseId} from '../../demo/seed/sanity'
import {signJwt} from '../../emulators/clerk/jwt'
import {ARTIFACTS_DIR, blockExternalRequests, collectProblems, waitFor} from '../harness'
import {
  addGrant,
  newEntitlement,
  openDocumentId,
  pickReference,
  pickSubject,
  publish,
  replaceReference,
  setUpJourney,
  unpublish,
  LONG_JOURNEY_MS,
} from './support'

const REFRESH_MS = 1_500
const journey = setUpJourney('journey-9', {memberRefreshMs: REFRESH_MS, validitySweepMs: 2_000})

interface Timing {
  step: string
  /** From the lake holding the change to the member's page showing it. */
  publishToVisibleMs: number
}

async function memberContext(journeyBrowser: ReturnType<typeof journey>['browser']) {
  const context = await journeyBrowser.newContext()
  const blocked: string[] = []
  await blockExternalRequests(context, blocked)
  const page = await context.newPage()
  const problems = collectProblems(page, blocked)
  return {context, page, problems, blocked}
}

const courseState = (page: Page, slug: string) =>
  page.locator(`[data-course="${slug}"]`).getAttribute('data-open', {timeout: 5_000})
const proCorner = (page: Page) =>
  page.locator('[data-perk="pro"]').getAttribute('data-open', {timeout: 5_000})

/** Waits until the member's page (refreshing on its own) shows `expected`; returns how long. */
async function timeUntil(
  description: string,
  since: number,
  check: () => Promise<boolean>,
): Promise<number> {
  await waitFor(description, () => check().catch(() => false), {timeoutMs: 60_000, intervalMs: 100})
  return Date.now() - since
}

describe('journey 9: what a member sees follows what editors publish', () => {
  it(
    'grants show after the next refresh; downgrade, unpublish, reassignment and expiry hide again',
    async () => {
      const {stack, openStudio, userId, screenshot, browser} = journey()
      const memberSite = stack.memberSiteUrl as string
      const edsger = userId('edsger.dijkstra@example.com')
      const katherine = userId('katherine.johnson@example.com')
      const timings: Timing[] = []
      // When the lake stored the published version: the Studio helper notices a publish up to a
      // second late, the lake's own timestamp does not.
      const publishedAt = (id: string) =>
        // oxlint-disable-next-line no-underscore-dangle -- Sanity's system field
        Date.parse(String(stack.lake.getDocument(id)?._updatedAt ?? new Date().toISOString()))
      const record = (step: string, publishToVisibleMs: number) =>
        timings.push({step, publishToVisibleMs})

      // The member signs in (a real session in the emulator) and, with no entitlement, sees
      // only the public catalog: every course locked, no Pro corner.
      const member = await memberContext(browser)
      const {page} = member
      await page.goto(memberSite)
      await page.locator('[data-sign-in="edsger.dijkstra@example.com"]').click()
      await page.locator('[data-member]').waitFor()
      expect(await page.locator('[data-open="true"]').count()).toBe(0)
      expect(await page.locator('[data-course]').count()).toBe(8)
      const issued = await page
        .locator('[data-claims-issued-at]')
        .getAttribute('data-claims-issued-at')
      await page.screenshot({path: join(ARTIFACTS_DIR, 'journey-9-1-member-no-access.png')})

      // The editor grants Pro and a course in the Studio.
      const studio = await openStudio('editor')
      const editor = studio.page
      await newEntitlement(editor, stack.studioUrl)
      await editor.locator('[data-testid="field-title"] input').fill('Edsger Dijkstra: Pro')
      await pickSubject(editor, 'user', 'edsger.d', edsger)
      await pickReference(editor, 'input#plan', 'Pro')
      await addGrant(editor, 'Edge Functions')
      await publish(editor, stack)
      const grant = openDocumentId(editor)
      let published = publishedAt(grant)
      record(
        'grant',
        await timeUntil('the course to open for the member', published, async () => {
          return (
            (await courseState(page, 'edge-functions')) === 'true' &&
            (await proCorner(page)) === 'true'
          )
        }),
      )
      // The refresh re-issued the claims.
      expect(
        await page.locator('[data-claims-issued-at]').getAttribute('data-claims-issued-at'),
      ).not.toBe(issued)
      await page.screenshot({path: join(ARTIFACTS_DIR, 'journey-9-2-member-granted.png')})

      // Downgrade to Free: the Pro corner closes, the granted course stays.
      await replaceReference(editor, 'plan', 'Free')
      await publish(editor, stack)
      published = publishedAt(grant)
      record(
        'downgrade',
        await timeUntil('the Pro corner to close', published, async () => {
          return (await proCorner(page)) === 'false'
        }),
      )
      expect(await courseState(page, 'edge-functions')).toBe('true')

      // Unpublish: its course locks again.
      await unpublish(editor)
      await screenshot(studio, 'unpublished')
      await waitFor('the entitlement to be unpublished', () => !stack.lake.getDocument(grant))
      published = Date.now()
      record(
        'unpublish',
        await timeUntil('the course to lock', published, async () => {
          return (await courseState(page, 'edge-functions')) === 'false'
        }),
      )

      // A second entitlement (written by a script, as an import would), then reassigned to
      // Katherine: it leaves Edsger's page. (Journey 2 reassigns in the Studio; here the member's
      // side is the point.)
      const script = createClient({
        ...stack.lake.clientConfig('administrator'),
        resolveFetch: stack.lake.resolveFetch,
      })
      await script.create({
        _id: 'entitlement-edsger-seat',
        _type: 'clerkEntitlement',
        title: 'Accessible Interfaces seat',
        clerkUserId: edsger,
        grants: [{_type: 'reference', _ref: courseId('accessibility'), _key: 'a11y'}],
      })
      published = Date.now()
      record(
        'grant-by-script',
        await timeUntil('the second course to open', published, async () => {
          return (await courseState(page, 'accessibility')) === 'true'
        }),
      )
      await script.patch('entitlement-edsger-seat').set({clerkUserId: katherine}).commit()
      published = Date.now()
      record(
        'reassign',
        await timeUntil('the reassigned course to lock', published, async () => {
          return (await courseState(page, 'accessibility')) === 'false'
        }),
      )

      // An entitlement whose validUntil passes (written by a script, as an import would): it
      // shows while valid and hides after the proxy's validity sweep and the next refresh.
      const validUntil = new Date(Date.now() + 12_000)
      await script.create({
        _id: 'entitlement-edsger-trial',
        _type: 'clerkEntitlement',
        title: 'Edsger Dijkstra: 12-second trial',
        clerkUserId: edsger,
        plan: {_type: 'reference', _ref: planId('enterprise')},
        grants: [{_type: 'reference', _ref: courseId('design-systems'), _key: 'ds'}],
        validUntil: validUntil.toISOString(),
      })
      published = Date.now()
      record(
        'trial-start',
        await timeUntil('the trial course to open', published, async () => {
          return (await courseState(page, 'design-systems')) === 'true'
        }),
      )
      expect(Date.now()).toBeLessThan(validUntil.getTime())
      record(
        'trial-expiry (from validUntil)',
        await timeUntil('the trial course to lock', validUntil.getTime(), async () => {
          return (
            (await courseState(page, 'design-systems')) === 'false' &&
            (await proCorner(page)) === 'false'
          )
        }),
      )
      await page.screenshot({path: join(ARTIFACTS_DIR, 'journey-9-3-member-after-expiry.png')})

      // A forged __session (claims edited, signature kept) is refused; so is an expired one
      // properly signed by Clerk's key when the browser holds no session to renew it from.
      const refused = async (context: BrowserContext, token: string) => {
        await context.clearCookies()
        // As a browser that once signed in would send them: the token and Clerk's client stamp.
        const clientUat = String(Math.floor(Date.now() / 1000) - 1200)
        await context.addCookies([
          {name: '__session', value: token, url: memberSite},
          {name: '__client_uat', value: clientUat, url: memberSite},
        ])
        const response = await page.goto(memberSite)
        return {status: response?.status(), note: await page.locator('[data-refused]').innerText()}
      }
      const cookies = await member.context.cookies(memberSite)
      const token = cookies.find((cookie) => cookie.name === '__session')?.value as string
      const [header, payload, signature] = token.split('.') as [string, string, string]
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
      const forgedPayload = Buffer.from(JSON.stringify({...claims, sub: katherine})).toString(
        'base64url',
      )
      const forged = await refused(member.context, `${header}.${forgedPayload}.${signature}`)
      expect(forged.status).toBe(401)
      expect(forged.note).toMatch(/refused/)
      const iat = Math.floor(Date.now() / 1000) - 600
      const expired = await refused(
        member.context,
        signJwt({...claims, iat, nbf: iat - 10, exp: iat + 60}, stack.clerk.sessions.signingKey),
      )
      expect(expired.status).toBe(401)
      expect(await page.locator('[data-member]').count()).toBe(0)
      await page.screenshot({path: join(ARTIFACTS_DIR, 'journey-9-4-forged-refused.png')})

      expect(member.problems.pageErrors).toEqual([])
      expect(member.blocked).toEqual([])
      await member.context.close()
      await writeFile(
        join(ARTIFACTS_DIR, 'journey-9-timings.json'),
        `${JSON.stringify({refreshMs: REFRESH_MS, timings}, null, 2)}\n`,
      )
      console.info('journey 9: publish to visible', timings)
    },
    2 * LONG_JOURNEY_MS,
  )
})
