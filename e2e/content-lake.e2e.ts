/**
 * A real Studio (built with its own CLI) in real Chromium against the local Content Lake: the
 * one-click login, then list, open, edit, publish, unpublish, delete and create, each checked in
 * the lake's store rather than in UI text.
 */
import {mkdir, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import type {Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {choosePort} from '../demo/ports'
import {startContentLake, type ContentLake} from '../emulators/content-lake'
import {
  ARTIFACTS_DIR,
  buildStudio,
  launchBrowser,
  newStudioPage,
  serveStatic,
  waitFor,
  type StaticServer,
  type StudioPage,
} from './harness'

const STUDIO_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../emulators/content-lake/test-studio',
)
// A steady port keeps the inlined API host, and so the cached Studio build, the same across runs.
const PREFERRED_LAKE_PORT = 4333

// Offline noise the Studio survives: schema upload and version checks against sanity.io.
const TOLERATED_PAGE_ERRORS = [
  /Invalid version/,
  /Failed to fetch version/,
  /Uploading schema failed/,
]

const SANITY_HOSTS = /(^|\.)(sanity\.io|sanity-cdn\.com|sanity\.work)$/

let lake: ContentLake
let studio: StaticServer
let browser: Browser
const sessions: StudioPage[] = []

beforeAll(async () => {
  lake = await startContentLake({
    projectId: 'lake',
    dataset: 'test',
    port: await choosePort(PREFERRED_LAKE_PORT),
    documents: [
      {
        _id: 'course-a',
        _type: 'course',
        title: 'Algebra',
        slug: {_type: 'slug', current: 'algebra'},
      },
      {
        _id: 'course-b',
        _type: 'course',
        title: 'Biology',
        slug: {_type: 'slug', current: 'biology'},
      },
    ],
  })
  const build = await buildStudio({
    dir: STUDIO_DIR,
    env: {
      SANITY_STUDIO_API_HOST: lake.apiHost,
      SANITY_STUDIO_PROJECT_ID: lake.projectId,
      SANITY_STUDIO_DATASET: lake.dataset,
    },
  })
  studio = await serveStatic(build.outDir)
  browser = await launchBrowser()
})

afterAll(async () => {
  // The request log explains most failures (a 409 from an action, a listener that never opened).
  if (lake) {
    await mkdir(ARTIFACTS_DIR, {recursive: true})
    await writeFile(
      join(ARTIFACTS_DIR, 'content-lake-requests.json'),
      JSON.stringify(lake.requests, null, 1),
    )
  }
  for (const session of sessions) await session.close().catch(() => undefined)
  await browser?.close()
  await studio?.close()
  await lake?.close()
})

async function open(token?: string): Promise<StudioPage> {
  const session = await newStudioPage({
    browser,
    studioUrl: studio.url,
    token,
    projectId: lake.projectId,
  })
  sessions.push(session)
  return session
}

const stored = (id: string) => lake.getDocument(id)
const titleOf = (id: string) => stored(id)?.title

describe('the Studio against the local Content Lake', () => {
  it('logs in with one click and edits, publishes, unpublishes, deletes and creates', async () => {
    const session = await open()
    const {page} = session

    await page.goto(studio.url)
    await page.getByText('Local Content Lake').click()
    await page.locator('a.user[data-user-id="pAdmin"]').click()
    // The redirect lands on `#sid=` before the Studio has exchanged it for a token; navigating
    // away then drops the one-time session and the next page load asks to log in again.
    await waitFor('the Studio to store the exchanged token', () =>
      page.evaluate(
        (key) => Boolean(JSON.parse(localStorage.getItem(key) ?? '{}').token),
        `__studio_auth_token_${lake.projectId}`,
      ),
    )
    await page.getByRole('link', {name: 'Structure'}).first().waitFor()
    await session.screenshot('lake-01-logged-in')

    await page.goto(`${studio.url}/structure/course`)
    await page.getByText('Algebra').first().waitFor()
    await page.getByText('Biology').first().waitFor()
    await session.screenshot('lake-02-list')

    await page.goto(`${studio.url}/structure/course;course-a`)
    const title = page.locator('[data-testid="field-title"] input')
    await title.waitFor()
    await title.fill('Algebra II')
    await waitFor('the edit to reach the draft', () => titleOf('drafts.course-a') === 'Algebra II')
    await session.screenshot('lake-03-edited')

    const publish = page.locator('[data-testid="action-publish"]')
    await waitFor('Publish to be enabled', () => publish.isEnabled())
    await publish.click()
    await waitFor(
      'the published title',
      () => titleOf('course-a') === 'Algebra II' && !stored('drafts.course-a'),
    )
    await waitFor(
      'the footer to confirm the commit',
      async () => !(await page.getByText('Saving...').isVisible()),
    )
    await waitFor('Publish to be disabled', async () => !(await publish.isEnabled()))
    await session.screenshot('lake-04-published')

    // The Studio offers Unpublish only in the published perspective.
    await page.getByRole('button', {name: 'Published'}).first().click()
    await page.waitForURL(/perspective=published/)
    const unpublish = page.locator('[data-testid="action-unpublish"]')
    await waitFor('Unpublish to be enabled', () => unpublish.isEnabled())
    await unpublish.click()
    await page.getByRole('dialog').getByTestId('confirm-button').click()
    await waitFor(
      'the document to be unpublished',
      () => !stored('course-a') && !!stored('drafts.course-a'),
    )
    await session.screenshot('lake-05-unpublished')

    await page.goto(`${studio.url}/structure/course;course-a`)
    await title.waitFor()
    const deleteItem = page.getByRole('menuitem', {name: /Delete/})
    // The menu closes when the pane re-renders while loading: reopen it until Delete is usable.
    await waitFor('Delete to be enabled', async () => {
      if (!(await deleteItem.isVisible())) {
        await page.locator('[data-testid="action-menu-button"]').click()
      }
      return deleteItem.isEnabled({timeout: 1000})
    })
    await deleteItem.click()
    await page.getByRole('dialog').getByTestId('confirm-button').click()
    await waitFor(
      'the document to be deleted',
      () => !stored('course-a') && !stored('drafts.course-a'),
    )
    await session.screenshot('lake-06-deleted')

    await page.goto(`${studio.url}/intent/create/template=course;type=course/`)
    await title.waitFor()
    await title.fill('Chemistry')
    const {_id: createdId} = await waitFor('the new draft', () =>
      lake.documents().find((document) => document.title === 'Chemistry'),
    )
    const publishedId = createdId.replace(/^drafts\./, '')
    await waitFor('Publish to be enabled', () => publish.isEnabled())
    await publish.click()
    await waitFor('the new document to be published', () => titleOf(publishedId) === 'Chemistry')
    await session.screenshot('lake-07-created')

    expect(session.problems.unexpectedPageErrors(TOLERATED_PAGE_ERRORS)).toEqual([])
    // Only Sanity's own hosts (version check, fonts, feedback tunnel) are ever tried, and blocked.
    const unexpectedHosts = session.problems.blockedRequests
      .map((url) => new URL(url).hostname)
      .filter((host) => !SANITY_HOSTS.test(host))
    expect(unexpectedHosts).toEqual([])
  })

  it('shows a viewer documents read-only (token login)', async () => {
    const session = await open(lake.clientConfig('viewer').token)
    const {page} = session
    await page.goto(`${studio.url}/structure/course;course-b`)
    const title = page.locator('[data-testid="field-title"] input')
    await title.waitFor()
    // The banner comes from the grants the lake serves for the viewer role, not from a failed write.
    await page.getByText('does not have permission to edit this document').waitFor()
    expect(await title.isEditable()).toBe(false)
    expect(await title.inputValue()).toBe('Biology')
    await session.screenshot('lake-08-viewer-read-only')
    expect(
      lake.requests.filter((request) => request.userId === 'pViewer' && request.method === 'POST'),
    ).toEqual([])
    expect(session.problems.unexpectedPageErrors(TOLERATED_PAGE_ERRORS)).toEqual([])
  })
})
