/**
 * Journey 7: permissions. A viewer can look (the document and its Clerk panel) but cannot
 * publish or sync, in the Studio or by calling the proxy; an editor cannot reconcile; and nobody
 * without a Sanity login gets anything from the proxy, whichever route they try.
 */
import {describe, expect, it} from 'vitest'

import {editClerkUnnoticed, openClerkPanel, openDocument, setUpJourney} from './support'

const journey = setUpJourney('journey-7')

async function call(proxyUrl: string, method: string, path: string, token?: string) {
  const response = await fetch(`${proxyUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? {authorization: `Bearer ${token}`} : {}),
    },
    ...(method === 'POST' ? {body: JSON.stringify({dryRun: true, subjects: []})} : {}),
  })
  return {status: response.status, body: (await response.json()) as Record<string, unknown>}
}

describe('journey 7: who may do what', () => {
  it('lets a viewer look but not publish or sync', async () => {
    const {stack, openStudio, userId, screenshot} = journey()
    const ada = userId('ada.lovelace@example.com')
    // Someone changed Ada in Clerk: there is drift a sync would repair.
    await editClerkUnnoticed(stack, () =>
      stack.clerk.store.updateMetadata(ada, {public_metadata: {plan: 'free'}}),
    )
    const drifted = JSON.stringify(stack.clerk.store.getUser(ada)?.public_metadata)
    const studio = await openStudio('viewer')
    const {page} = studio
    await openDocument(page, stack.studioUrl, 'clerkEntitlement', 'entitlement-ada-lovelace')
    await openClerkPanel(page)
    const drift = page.locator('[data-testid="clerk-panel-drift"]')
    await expect.poll(() => drift.innerText(), {timeout: 20_000}).toContain('free')
    // The viewer may not see private metadata (the proxy leaves it out for them).
    expect(await page.locator('[data-testid="clerk-panel-private"]').count()).toBe(0)

    // A viewer is told why Resync is off (once the proxy's /me answers); the proxy refuses it
    // anyway (below).
    await page.locator('[data-testid="clerk-panel-no-sync"]').waitFor()
    const resync = page.locator('[data-testid="clerk-panel-resync"]')
    expect((await resync.isVisible()) && (await resync.isEnabled())).toBe(false)
    expect(JSON.stringify(stack.clerk.store.getUser(ada)?.public_metadata)).toBe(drifted)

    const publish = page.locator('[data-testid="action-publish"]')
    expect((await publish.count()) === 0 || (await publish.isDisabled())).toBe(true)
    expect(await page.locator('[data-testid="field-title"] input').isEditable()).toBe(false)
    await page.locator('[data-testid="action-menu-button"]').click()
    expect(await page.getByRole('menuitem', {name: /Sync to Clerk/}).count()).toBe(0)
    await page.keyboard.press('Escape')
    await screenshot(studio, '1-viewer-reads')

    const token = stack.logins.viewer.token
    const me = await call(stack.proxyUrl, 'GET', '/me', token)
    expect(me.body.permissions).toEqual(['read'])
    for (const path of ['/sync', '/reconcile']) {
      const refused = await call(stack.proxyUrl, 'POST', path, token)
      expect(refused.status, path).toBe(403)
    }
    const status = await call(stack.proxyUrl, 'GET', `/users/${ada}`, token)
    expect(status.status).toBe(200)
    expect((status.body.clerk as Record<string, unknown>).privateMetadata).toBeUndefined()
    expect(JSON.stringify(stack.clerk.store.getUser(ada)?.public_metadata)).toBe(drifted)
  })

  it('does not let an editor reconcile', async () => {
    const {stack} = journey()
    const refused = await call(stack.proxyUrl, 'POST', '/reconcile', stack.logins.editor.token)
    expect(refused.status).toBe(403)
  })

  it('gives nothing to anyone without a Sanity login', async () => {
    const {stack, userId, organizationId} = journey()
    const routes: Array<[string, string]> = [
      ['GET', '/me'],
      ['GET', '/users?query=ada'],
      ['GET', `/users/${userId('ada.lovelace@example.com')}`],
      ['GET', '/organizations?query=orbit'],
      ['GET', `/organizations/${organizationId('orbit-labs')}`],
      ['POST', '/sync'],
      ['POST', '/reconcile'],
      ['POST', '/webhook'],
    ]
    const clerkRequestsBefore = stack.clerk.log.length
    for (const [method, path] of routes) {
      for (const token of [undefined, 'not-a-sanity-token']) {
        const answer = await call(stack.proxyUrl, method, path, token)
        expect(answer.status, `${method} ${path} with ${token ?? 'no token'}`).toBe(401)
        expect(Object.keys(answer.body)).toEqual(['error'])
      }
    }
    // Refused before any Clerk call.
    expect(stack.clerk.log.length).toBe(clerkRequestsBefore)
  })

  it('shows a logged-out browser the login screen, and the proxy refuses its calls', async () => {
    const {stack, openStudio, screenshot} = journey()
    const studio = await openStudio('anonymous')
    const {page} = studio
    await page.goto(stack.studioUrl)
    await page.getByText('Local Content Lake').first().waitFor({timeout: 60_000})
    await screenshot(studio, '2-logged-out')
    const status = await page.evaluate(
      async (url) => (await fetch(`${url}/me`)).status,
      stack.proxyUrl,
    )
    expect(status).toBe(401)
  })
})
