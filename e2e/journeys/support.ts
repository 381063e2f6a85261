/**
 * What every journey shares: the demo stack (lake, Clerk emulator, proxy, Studio) on steady ports
 * so the one Studio build is reused by every file, a Chromium per file, and the Studio steps the
 * journeys repeat (pick a subject, pick references, publish, open the Clerk panel).
 *
 * Each page is checked when it closes: an unexpected page error, or any request that tried to
 * leave loopback other than the Studio's own known calls home, fails the journey.
 */
import {join} from 'node:path'

import type {Browser, Locator, Page} from 'playwright-core'
import {afterAll, afterEach, beforeAll, expect} from 'vitest'

import {REPO_ROOT} from '../../demo/buildStudio'
import {DEMO_PROJECT_ID} from '../../demo/constants'
import {demoOrganization, demoUser} from '../../demo/seed/clerk'
import {startDemoStack, type DemoStack, type DemoStackOptions} from '../../demo/stack'
import type {JsonObject} from '../../emulators/clerk'
import {launchBrowser, newStudioPage, waitFor, type StudioPage} from '../harness'

/** Long journeys on a busy 2-core machine: the suite's per-test default is too short for them. */
export const LONG_JOURNEY_MS = 300_000
/** The journeys' proxy re-checks a written subject this soon (the product's default is 15 s). */
const JOURNEY_RECHECK_MS = 500

/** Steady ports keep the inlined URLs, and so the cached Studio build, the same across files. */
export const JOURNEY_PORTS = {studio: 4350, lake: 4351, clerk: 4352, proxy: 4353, memberSite: 4357}

/** The Studio calls these hosts whatever the plugin does; the harness aborts them. */
const STUDIO_CALLS_HOME = [
  /^https:\/\/core\.sanity-cdn\.com\/bridge\.js/,
  /^https:\/\/sanity-cdn\.com\/v1\/modules\//,
  /^https:\/\/api\.sanity\.io\/vX\/intake\/feedback/,
  /^https:\/\/(design-system-static|studio-static)\.sanity\.io\//,
]

/** Offline noise the Studio survives: schema upload and version checks against sanity.io. */
const TOLERATED_PAGE_ERRORS = [
  /Invalid version/,
  /Failed to fetch version/,
  /Uploading schema failed/,
]

export type LoginRole = 'editor' | 'administrator' | 'viewer'

export interface Journey {
  stack: DemoStack
  /** The proxy's warnings and errors so far (failure journeys provoke some on purpose). */
  proxyLog: string[]
  browser: Browser
  /** A Studio page logged in as one of the demo logins (or nobody), checked when closed. */
  openStudio(role?: LoginRole | 'anonymous'): Promise<StudioPage>
  /** Seeded Clerk user id by email. */
  userId(email: string): string
  /** Seeded Clerk organization id by slug. */
  organizationId(slug: string): string
  /** Saves `e2e/artifacts/<journey>-<step>.png`. */
  screenshot(studio: StudioPage, step: string): Promise<void>
}

/**
 * Registers the journey's `beforeAll`/`afterAll`: starts the stack and a browser, and returns an
 * accessor for them (valid inside tests).
 */
export function setUpJourney(name: string, options: Partial<DemoStackOptions> = {}): () => Journey {
  let journey: Journey | undefined
  const pages: StudioPage[] = []
  let stack: DemoStack | undefined
  let browser: Browser | undefined
  const proxyLog: string[] = []
  const record =
    (level: string) =>
    (...args: unknown[]) =>
      void proxyLog.push(
        `${level} ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`,
      )

  beforeAll(async () => {
    stack = await startDemoStack({
      proxyLogger: {info: () => {}, warn: record('warn'), error: record('error')},
      ports: JOURNEY_PORTS,
      recheckAfterMs: JOURNEY_RECHECK_MS,
      studioOutDir: join(REPO_ROOT, '.tmp', 'studio-builds', 'demo-journeys'),
      webhookTimings: {retryDelayMs: 300},
      log: () => {},
      ...options,
    })
    browser = await launchBrowser()
    const running = stack
    const openBrowser = browser
    journey = {
      stack: running,
      proxyLog,
      browser: openBrowser,
      async openStudio(role = 'editor') {
        const studio = await newStudioPage({
          browser: openBrowser,
          studioUrl: running.studioUrl,
          ...(role === 'anonymous'
            ? {}
            : {token: running.logins[role].token, projectId: DEMO_PROJECT_ID}),
        })
        pages.push(studio)
        return studio
      },
      userId: (email) => demoUser(running.clerkSeed, email).id,
      organizationId: (slug) => demoOrganization(running.clerkSeed, slug).id,
      async screenshot(studio, step) {
        await studio.screenshot(`${name}-${step}`)
      },
    }
  })

  afterEach(async ({task}) => {
    if (task.result?.state !== 'fail') return
    for (const [index, page] of pages.entries()) {
      await page.screenshot(`${name}-failure-${index + 1}`).catch(() => {})
    }
  })

  afterAll(async () => {
    const failures = pages.flatMap(({problems}) => [
      ...problems.unexpectedPageErrors(TOLERATED_PAGE_ERRORS).map((e) => `page error: ${e}`),
      ...problems.blockedRequests
        .filter((url) => !STUDIO_CALLS_HOME.some((pattern) => pattern.test(url)))
        .map((url) => `request leaving loopback: ${url}`),
    ])
    for (const page of pages.splice(0)) await page.close().catch(() => {})
    await browser?.close()
    await stack?.close()
    expect(failures).toEqual([])
  })

  return () => {
    if (!journey) throw new Error('the journey has not started (use it inside a test)')
    return journey
  }
}

/** Public metadata Clerk holds for a user or organization right now. */
export function clerkPublicMetadata(stack: DemoStack, subjectId: string): JsonObject | null {
  const subject = subjectId.startsWith('org_')
    ? stack.clerk.store.getOrganization(subjectId)
    : stack.clerk.store.getUser(subjectId)
  if (!subject) throw new Error(`Clerk has no ${subjectId}`)
  return subject.public_metadata ?? {}
}

/** Waits until Clerk's public metadata for the subject equals `expected` exactly. */
export async function waitForClerkMetadata(
  stack: DemoStack,
  subjectId: string,
  expected: JsonObject,
  timeoutMs = 20_000,
): Promise<void> {
  const wanted = JSON.stringify(sortKeys(expected))
  let last = ''
  await waitFor(
    `Clerk metadata of ${subjectId} to be ${wanted}`,
    () => {
      last = JSON.stringify(sortKeys(clerkPublicMetadata(stack, subjectId) ?? {}))
      return last === wanted
    },
    {timeoutMs},
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n  Clerk holds: ${last}\n${diagnostics(stack)}`)
  })
}

/**
 * Waits until the proxy has written nothing to Clerk for a few re-check periods: its start-up
 * reconcile and the re-checks after it are done. A journey that edits Clerk behind the proxy's
 * back calls this first, as in life, where such an edit comes long after the last sync; otherwise
 * the re-check of that sync would (rightly) repair the edit before the Studio shows it as drift.
 */
async function waitForProxyToSettle(stack: DemoStack): Promise<void> {
  // Re-checks fall due one period after a write; reads (an open panel's) may go on meanwhile.
  const quietMs = 6 * JOURNEY_RECHECK_MS
  const lastWrite = () =>
    stack.clerk.log.findLast((entry) => entry.method !== 'GET')?.receivedAt ?? 0
  await waitFor('the proxy to stop writing to Clerk', () => Date.now() - lastWrite() > quietMs, {
    timeoutMs: 30_000,
  })
}

/**
 * Edits Clerk the way a deployment without Clerk webhooks (or whose delivery failed) lets drift
 * appear: after the proxy has settled, and with the emulator's event delivery to the proxy off
 * for the edit. With it on, the proxy hears `user.updated` and repairs the edit at once.
 */
export async function editClerkUnnoticed(stack: DemoStack, edit: () => void): Promise<void> {
  await waitForProxyToSettle(stack)
  const endpoint = stack.clerk.webhooks.endpoint
  stack.clerk.webhooks.setEndpoint(undefined)
  try {
    edit()
  } finally {
    stack.clerk.webhooks.setEndpoint(endpoint)
  }
}

/** What the parts did, to explain a journey that timed out waiting for Clerk. */
export function diagnostics(stack: DemoStack): string {
  const webhooks = stack.lake.webhooks.attempts
    .slice(-10)
    .map((a) => `  webhook ${a.operation} ${a.documentId} → ${a.status} ${a.error ?? ''}`)
  const clerk = stack.clerk.log
    .filter((entry) => entry.method !== 'GET')
    .slice(-10)
    .map((entry) => `  clerk ${entry.method} ${entry.path} → ${entry.status} ${entry.body}`)
  return [...webhooks, ...clerk].join('\n') || '  (no webhook deliveries, no Clerk writes)'
}

function sortKeys(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** Opens the form for a new entitlement and waits until it can be edited. */
export async function newEntitlement(page: Page, studioUrl: string): Promise<void> {
  await page.goto(`${studioUrl}/intent/create/template=clerkEntitlement;type=clerkEntitlement/`)
  await page.locator('[data-testid="field-title"] input').waitFor({timeout: 60_000})
}

/** Opens an existing document and waits for its form. */
export async function openDocument(page: Page, studioUrl: string, type: string, id: string) {
  await page.goto(`${studioUrl}/structure/${type};${id}`)
  await page.locator('[data-testid="document-panel-form-view"]').waitFor({timeout: 60_000})
}

/**
 * Types into a search input until `result` shows. A form update landing while typing (the
 * picker's snapshot patch, a cleared field being saved) can reset the text, so type again.
 */
async function retypeUntilVisible(
  input: Locator,
  text: string,
  result: Locator,
  description: string,
): Promise<void> {
  await waitFor(
    description,
    async () => {
      if (await result.isVisible()) return true
      await input.click()
      await input.fill(text)
      return result.waitFor({timeout: 5_000}).then(
        () => true,
        () => false,
      )
    },
    {timeoutMs: 40_000, intervalMs: 200},
  )
}

/** Types part of an email (or name) into the subject picker and picks the matching Clerk subject. */
export async function pickSubject(
  page: Page,
  kind: 'user' | 'organization',
  query: string,
  subjectId: string,
): Promise<void> {
  const input = page.locator(`[data-testid="clerk-${kind}-picker-input"]`)
  const option = page.locator(`[data-testid="clerk-picker-option-${subjectId}"]`)
  await retypeUntilVisible(input, query, option, `${subjectId} in the ${kind} picker`)
  // The picker selects on mousedown (a click's blur would close the list first).
  await option.dispatchEvent('mousedown')
  await page.locator('[data-testid="clerk-selected-card"]').waitFor()
}

/**
 * Fills a reference autocomplete (`plan`, `role`, or a new `grants` item) by typing its title and
 * taking the first suggestion.
 */
export async function pickReference(page: Page, inputSelector: string, title: string) {
  const input = page.locator(inputSelector).last()
  const listboxId = await input.getAttribute('aria-owns', {timeout: 20_000})
  if (!listboxId) throw new Error(`${inputSelector} is not an autocomplete (no aria-owns)`)
  const option = page
    .locator(`id=${listboxId}`)
    .locator('[role="option"]')
    .filter({hasText: title})
    .first()
  await retypeUntilVisible(input, title, option, `a "${title}" suggestion in ${inputSelector}`)
  await option.click()
  await input.waitFor({state: 'detached', timeout: 10_000})
}

/**
 * Publishes the open document and waits until the Content Lake holds it published with no draft
 * left. A click that lands while the Studio is still saving an edit can be swallowed, so Publish
 * is clicked again while it stays enabled.
 */
export async function publish(page: Page, stack: DemoStack): Promise<void> {
  const id = openDocumentId(page)
  const button = page.locator('[data-testid="action-publish"]')
  await waitFor(
    `${id} to be published`,
    async () => {
      if (!stack.lake.getDocument(`drafts.${id}`) && stack.lake.getDocument(id)) return true
      if (await button.isEnabled()) await button.click({timeout: 2_000}).catch(() => {})
      return false
    },
    {timeoutMs: 60_000, intervalMs: 1_000},
  )
}

/** Replaces a filled reference field (`plan`, `role`) through its menu. */
export async function replaceReference(page: Page, field: string, title: string): Promise<void> {
  await page.locator(`[id="${field}-menuButton"]`).click()
  await page.getByRole('menuitem', {name: /Replace/}).click()
  await pickReference(page, `input#${field}`, title)
}

/** Adds a course to the entitlement's grants. */
export async function addGrant(page: Page, courseTitle: string): Promise<void> {
  await page
    .locator('[data-testid="field-grants"] [data-testid="add-single-object-button"]')
    .click()
  await pickReference(page, 'input[id^="grants["]', courseTitle)
}

/** Unpublishes the open document (the Studio offers Unpublish in the published perspective). */
export async function unpublish(page: Page): Promise<void> {
  await page.getByRole('button', {name: 'Published'}).first().click()
  await page.waitForURL(/perspective=published/)
  const action = page.locator('[data-testid="action-unpublish"]')
  await expect.poll(() => action.isEnabled(), {timeout: 30_000}).toBe(true)
  await action.click()
  await page.getByRole('dialog').getByTestId('confirm-button').click()
}

/** Deletes the open document through the "…" menu and confirms. */
export async function deleteDocument(page: Page): Promise<void> {
  const item = page.getByRole('menuitem', {name: /Delete/})
  // The menu closes when the pane re-renders while loading: reopen it until Delete is usable.
  await waitFor('Delete to be enabled', async () => {
    if (!(await item.isVisible())) await page.locator('[data-testid="action-menu-button"]').click()
    return item.isEnabled({timeout: 1000})
  })
  await item.click()
  await page.getByRole('dialog').getByTestId('confirm-button').click()
}

/** The id of the document open in the pane (from the URL), e.g. after creating it. */
export function openDocumentId(page: Page): string {
  const match = /;([^;/?,]+)/.exec(decodeURIComponent(new URL(page.url()).pathname))
  if (!match?.[1]) throw new Error(`no document in ${page.url()}`)
  return match[1]
}

/**
 * Opens the Studio's own document history (the pane menu's "History") on its "Review changes"
 * tab, and returns that tab's panel once it shows a comparison.
 */
export async function openReviewChanges(page: Page): Promise<Locator> {
  await page.locator('[data-testid="pane-context-menu-button"]').last().click()
  await page.getByRole('menuitem', {name: 'History'}).click()
  await page.getByRole('tab', {name: 'Review changes'}).click()
  const panel = page.locator('#review-panel')
  await panel.getByText('From', {exact: true}).waitFor({timeout: 30_000})
  return panel
}

/** A toast the page showed, as it read when it appeared (or last changed). */
export interface SeenToast {
  /** The card tone `@sanity/ui` gives its status: `critical` for errors, `positive`, … */
  tone: string
  text: string
}

/**
 * Records every toast the page shows from now on, whoever pushes it (the Studio's own
 * "Validation errors" as much as the plugin's): toasts vanish after a few seconds, so a journey
 * that looks only at the end would miss one shown in between. Call before the first navigation;
 * the record survives navigations. Returns the list, which grows in the order toasts appear.
 */
export async function recordToasts(page: Page): Promise<SeenToast[]> {
  const seen: SeenToast[] = []
  await page.exposeFunction('journeyToastSeen', (toast: SeenToast) => void seen.push(toast))
  await page.addInitScript(() => {
    const report = (window as unknown as {journeyToastSeen: (toast: SeenToast) => void})
      .journeyToastSeen
    const lastText = new WeakMap<Element, string>()
    const scan = () => {
      for (const toast of document.querySelectorAll('[data-ui="Toast"]')) {
        const text = (toast as HTMLElement).innerText.trim()
        if (!text || lastText.get(toast) === text) continue
        lastText.set(toast, text)
        report({tone: toast.getAttribute('data-tone') ?? '', text})
      }
    }
    const observe = () =>
      new MutationObserver(scan).observe(document.documentElement, {
        childList: true,
        subtree: true,
        characterData: true,
      })
    if (document.documentElement) observe()
    else document.addEventListener('DOMContentLoaded', observe)
  })
  return seen
}

/** Opens the Clerk panel (the document inspector), unless open, and waits for its content. */
export async function openClerkPanel(page: Page): Promise<void> {
  const inspector = page.locator('[data-testid="clerk-document-panel"]')
  if (!(await inspector.isVisible()))
    await page.locator('button[aria-label="Clerk access"]').click()
  await page.locator('[data-testid="clerk-panel"]').waitFor({timeout: 30_000})
}
