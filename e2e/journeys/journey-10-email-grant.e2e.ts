/**
 * Journey 10: grant before sign-up. An editor grants Pro to an address nobody in Clerk has,
 * invites it from the Studio; the invitee accepts (signs up through the invitation in the
 * emulator) and receives the access with no editor action, through Clerk's webhook. Then a user
 * is deleted in Clerk and the Studio flags their entitlement's subject as gone; another, named
 * by id, shows up in the Access tool's orphaned entitlements and is cleaned up there.
 */
import {describe, expect, it} from 'vitest'

import {
  LONG_JOURNEY_MS,
  newEntitlement,
  openDocumentId,
  pickReference,
  publish,
  setUpJourney,
  waitForClerkMetadata,
} from './support'

const journey = setUpJourney('journey-10')
const INVITEE = 'ada.newcomer@example.org'

describe('journey 10: grant by email, invite, sign up, access arrives', () => {
  it(
    'the invitee receives the access the moment they sign up',
    async () => {
      const {stack, openStudio, screenshot} = journey()
      const studio = await openStudio('editor')
      const {page} = studio
      await newEntitlement(page, stack.studioUrl)
      await page
        .locator('[data-testid="field-title"] input')
        .fill('Ada Newcomer: Pro before sign-up')
      const picker = page.locator('[data-testid="clerk-user-picker-input"]')
      const grantByEmail = page.locator('[data-testid="clerk-picker-grant-email"]')
      await expect
        .poll(
          async () => {
            if (await grantByEmail.isVisible()) return true
            await picker.fill(INVITEE)
            return grantByEmail.waitFor({timeout: 5_000}).then(
              () => true,
              () => false,
            )
          },
          {timeout: 40_000},
        )
        .toBe(true)
      await grantByEmail.dispatchEvent('mousedown')
      const status = page.locator('[data-testid="clerk-email-status"]')
      await expect
        .poll(() => status.getAttribute('data-status'), {timeout: 20_000})
        .toBe('no-account')
      await pickReference(page, 'input#plan', 'Pro')
      await publish(page, stack)
      const id = openDocumentId(page)
      expect(stack.lake.getDocument(id)).toMatchObject({clerkEmail: INVITEE})
      await screenshot(studio, '1-granted-by-email')

      await page.locator('[data-testid="clerk-invite"]').click()
      const invitationStatus = page.locator('[data-testid="clerk-invitation-status"]')
      await expect
        .poll(() => invitationStatus.getAttribute('data-status'), {timeout: 20_000})
        .toBe('pending')
      await screenshot(studio, '2-invited')
      const [invitation] = stack.clerk.store.listInvitations(
        {query: INVITEE},
        {key: 'created_at', descending: true},
        {limit: 1, offset: 0},
      ).data
      expect(invitation?.public_metadata).toEqual({})

      // The invitee signs up through the link: the emulator's accept, over its admin API.
      const started = performance.now()
      const accepted = await fetch(
        `${stack.clerk.url}/__emulator/invitations/${invitation?.id}/accept`,
        {
          method: 'POST',
          headers: {authorization: `Bearer ${stack.clerk.secretKey}`},
          body: JSON.stringify({first_name: 'Ada', last_name: 'Newcomer'}),
        },
      )
      const {user} = (await accepted.json()) as {user: {id: string}}
      await waitForClerkMetadata(stack, user.id, {plan: 'pro'})
      console.info(
        `journey 10: sign-up (user.created) → Clerk metadata in ${(performance.now() - started).toFixed(0)} ms`,
      )

      // No editor action: the open document only shows what Clerk now says.
      await page.reload()
      await expect
        .poll(
          () => page.locator('[data-testid="clerk-email-status"]').getAttribute('data-status'),
          {
            timeout: 90_000,
          },
        )
        .toBe('account')
      await page.locator('[data-testid="clerk-selected-card"]').waitFor({timeout: 90_000})
      await screenshot(studio, '3-account-exists')

      // Deleted in Clerk: the Studio says the subject is gone.
      stack.clerk.store.deleteUser(user.id)
      await stack.clerk.webhooks.idle()
      await page.reload()
      await page
        .locator('[data-testid="clerk-email-status"][data-status="no-account"]')
        .first()
        .waitFor({timeout: 90_000})
      await screenshot(studio, '4-user-deleted')

      // A user an entitlement names by id is deleted in Clerk: the Access tool flags the orphan
      // (asked live, nothing stored) and the editor deletes it after confirming.
      const orphanId = 'entitlement-margaret-hamilton'
      const margaret = stack.lake.getDocument(orphanId)?.clerkUserId
      expect(margaret).toMatch(/^user_/)
      stack.clerk.store.deleteUser(String(margaret))
      await stack.clerk.webhooks.idle()
      // The Access tool is the administrators' (toolRoles); they may sync, so they clean up.
      const admin = await openStudio('administrator')
      await admin.page.goto(`${stack.studioUrl}/clerk-access`)
      const orphan = admin.page.locator(`[data-testid="clerk-tool-orphan-${orphanId}"]`)
      await orphan.waitFor({timeout: 90_000})
      expect(await orphan.textContent()).toContain('User deleted in Clerk')
      expect(await orphan.textContent()).toContain(String(margaret))
      await screenshot(admin, '5-orphan-flagged')
      await admin.page.locator(`[data-testid="clerk-tool-orphan-delete-${orphanId}"]`).click()
      await admin.page.locator(`[data-testid="clerk-tool-orphan-confirm-${orphanId}"]`).click()
      await orphan.waitFor({state: 'detached', timeout: 30_000})
      expect(stack.lake.getDocument(orphanId)).toBeUndefined()
    },
    LONG_JOURNEY_MS,
  )
})
