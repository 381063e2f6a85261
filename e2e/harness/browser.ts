/**
 * Headless Chromium for the browser journeys: a fresh profile per launch, every request that
 * would leave loopback blocked (and recorded), page errors and console errors collected, and
 * screenshots saved to `e2e/artifacts/`.
 */
import {mkdir} from 'node:fs/promises'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {chromium, type Browser, type BrowserContext, type Page} from 'playwright-core'

import {CHROMIUM_PATH} from '../ensure-chromium'

export const ARTIFACTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts')

/** Default wait for page actions: generous, since CI machines are small and shared. */
export const STUDIO_TIMEOUT_MS = 60_000

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS})
}

/** True for hosts that stay on this machine: localhost, *.localhost, 127.0.0.1, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '127.0.0.1' ||
    hostname === '[::1]'
  )
}

export interface ProblemCollector {
  /** Uncaught exceptions in the page. */
  pageErrors: string[]
  /** `console.error` lines (diagnostics; the Studio logs harmless ones offline). */
  consoleErrors: string[]
  /** URLs the page tried to reach outside loopback (all aborted). */
  blockedRequests: string[]
  /** Page errors not matching any of `allowed`. */
  unexpectedPageErrors(allowed?: RegExp[]): string[]
}

/** Blocks non-loopback traffic for the whole context and records it. */
export async function blockExternalRequests(
  context: BrowserContext,
  blocked: string[],
): Promise<void> {
  await context.route('**/*', async (route) => {
    const url = route.request().url()
    let host = ''
    try {
      host = new URL(url).hostname
    } catch {
      // Unparseable URLs are not network requests worth routing.
    }
    if (host === '' || isLoopbackHost(host)) return route.continue()
    blocked.push(url)
    return route.abort('internetdisconnected')
  })
}

export function collectProblems(page: Page, blockedRequests: string[]): ProblemCollector {
  const pageErrors: string[] = []
  const consoleErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text())
  })
  return {
    pageErrors,
    consoleErrors,
    blockedRequests,
    unexpectedPageErrors: (allowed = []) =>
      pageErrors.filter((error) => !allowed.some((pattern) => pattern.test(error))),
  }
}

export interface StudioPage {
  context: BrowserContext
  page: Page
  problems: ProblemCollector
  /** Saves `e2e/artifacts/<name>.png` and returns its path. */
  screenshot(name: string): Promise<string>
  close(): Promise<void>
}

export interface NewStudioPageOptions {
  browser: Browser
  /** Where the Studio is served, e.g. `http://localhost:3334`. */
  studioUrl: string
  /** Log in by token (skips the login screen); needs `projectId`. */
  token?: string
  projectId?: string
}

/**
 * A fresh context and page for a Studio. With `token`, the Studio starts logged in (its token
 * storage is filled before any script runs); without, it shows its login screen.
 */
export async function newStudioPage(options: NewStudioPageOptions): Promise<StudioPage> {
  const context = await options.browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: {width: 1400, height: 900},
  })
  const blocked: string[] = []
  await blockExternalRequests(context, blocked)
  if (options.token) {
    if (!options.projectId) throw new Error('newStudioPage: token login needs projectId')
    await context.addInitScript(
      ({key, token}) => window.localStorage.setItem(key, JSON.stringify({token})),
      {key: `__studio_auth_token_${options.projectId}`, token: options.token},
    )
  }
  const page = await context.newPage()
  // A Studio boot takes seconds, and far longer on a busy 2-core machine.
  page.setDefaultTimeout(STUDIO_TIMEOUT_MS)
  const problems = collectProblems(page, blocked)
  return {
    context,
    page,
    problems,
    async screenshot(name) {
      await mkdir(ARTIFACTS_DIR, {recursive: true})
      const path = join(ARTIFACTS_DIR, `${name}.png`)
      await page.screenshot({path})
      return path
    },
    close: () => context.close(),
  }
}
