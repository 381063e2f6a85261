/**
 * The whole product on one machine: the local Content Lake (seeded, optionally persisted), the
 * Clerk emulator (seeded with the people the entitlements name), the proxy wired to both, and a
 * Studio built with the plugin from source. `npm start` and the browser journeys both use it.
 */
import {randomBytes} from 'node:crypto'
import {existsSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {getCACertificates, setDefaultCACertificates} from 'node:tls'

import {resolveAccessRules} from '../core/access'
import type {ReconcileEvent} from '../core/contract'
import {generateWebhookSecret, startClerkEmulator, type ClerkEmulator} from '../emulators/clerk'
import {startContentLake, type ContentLake, type LakeUser} from '../emulators/content-lake'
import type {WebhookTimings} from '../emulators/content-lake'
import {
  DOCUMENT_EVENT_PROJECTION,
  documentEventFilter,
  startNodeServer,
  type ClerkProxyOptions,
  type ProxyLogger,
  type RunningNodeServer,
} from '../proxy'
import {buildStudio, DEMO_STUDIO_DIR, REPO_ROOT} from './buildStudio'
import {DEMO_DATASET, DEMO_PROJECT_ID} from './constants'
import {choosePort} from './ports'
import {startDemoMemberSite} from './member-site/demo'
import {generateClerkSeed, type DemoClerkSeed} from './seed/clerk'
import {generateSanityDocuments} from './seed/sanity'
import {serveStatic, type StaticServer} from './staticServer'

export interface DemoPorts {
  studio?: number
  lake?: number
  clerk?: number
  proxy?: number
  memberSite?: number
}

export interface DemoStackOptions {
  /** Folder for `dataset.ndjson` and the demo logins; without it nothing is kept. */
  dataDir?: string
  /** Preferred ports; a busy or missing one is replaced by a free one. */
  ports?: DemoPorts
  /** Seed of the Clerk population (and so of the ids the entitlements reference). Default 7. */
  seed?: number
  /** Set `false` to run the servers without building and serving the Studio. */
  studio?: boolean
  /** Where the Studio is built. Default `demo/studio/dist`. */
  studioOutDir?: string
  /** More Studio origins the proxy accepts (e.g. a second Studio under test). */
  extraOrigins?: string[]
  /** Webhook retry timing (tests shorten Sanity's 30 s). */
  webhookTimings?: WebhookTimings
  /** Run one reconcile after start so Clerk matches the content. Default true. */
  reconcile?: boolean
  /** The proxy's validity-sweep interval (default 60 s): journeys shorten it to see expiry. */
  validitySweepMs?: number
  /**
   * How long after a write the proxy re-checks a subject (default 15 s). Journeys that edit Clerk
   * behind the proxy's back shorten it and wait it out first, or the re-check would repair their
   * edit before the Studio could show it as drift.
   */
  recheckAfterMs?: number
  /** Set `false` to run without the member site. */
  memberSite?: boolean
  /** How often the member site refreshes session tokens. Default 50 s (tokens live 60 s). */
  memberRefreshMs?: number
  /** Progress lines; default `console.info`. */
  log?: (line: string) => void
  /** Where the proxy's warnings and errors go; default `console`. */
  proxyLogger?: ProxyLogger
}

/** The people who can log in to the demo Studio, one per Sanity role. */
export interface DemoLogins {
  editor: LakeUser
  administrator: LakeUser
  viewer: LakeUser
}

export interface DemoStack {
  /** Where the Studio is served, e.g. `http://localhost:3333`. */
  studioUrl: string
  /** The one URL a newcomer opens: the lake's one-click login, which lands in the Studio. */
  loginUrl: string
  proxyUrl: string
  lake: ContentLake
  clerk: ClerkEmulator
  clerkSeed: DemoClerkSeed
  logins: DemoLogins
  /** The Studio's environment as built (`SANITY_STUDIO_*`). */
  studioEnv: Record<string, string>
  /** The member site (`demo/member-site`), unless `memberSite: false`. */
  memberSiteUrl: string | null
  /** Summary of the start-up reconcile, when one ran. */
  reconciled: {scanned: number; drifted: number; written: number; failed: number} | null
  /** Stops the proxy (the Studio then sees it as unreachable) … */
  stopProxy(): Promise<void>
  /** … and starts it again on the same URL. */
  startProxy(): Promise<void>
  /** Closes everything, saving the dataset first. Safe to call twice. */
  close(): Promise<void>
}

const DEFAULT_SEED = 7

/** Starts every part, builds the Studio if needed, and runs the start-up reconcile. */
export async function startDemoStack(options: DemoStackOptions = {}): Promise<DemoStack> {
  const log = options.log ?? ((line: string) => console.info(line))
  const closers: Array<() => Promise<void>> = []
  const close = async () => {
    for (const closeOne of closers.splice(0).reverse()) {
      await closeOne().catch((error: Error) =>
        console.error('demo: closing failed:', error.message),
      )
    }
  }
  try {
    const clerkSeed = generateClerkSeed(options.seed ?? DEFAULT_SEED)
    const ports = options.ports ?? {}

    const clerk = await startClerkEmulator({
      secretKey: `sk_test_${randomBytes(18).toString('hex')}`,
      port: await choosePort(ports.clerk),
    })
    closers.push(() => clerk.close())
    seedClerk(clerk, clerkSeed)

    // Both URLs are inlined into the Studio and named in the webhook, so fix them before starting.
    const proxyPort = await choosePort(ports.proxy)
    const proxyUrl = `http://127.0.0.1:${proxyPort}`
    const studioPort = await choosePort(ports.studio)
    const studioUrl = `http://localhost:${studioPort}`
    const memberPort = options.memberSite === false ? null : await choosePort(ports.memberSite)
    const memberSiteUrl = memberPort === null ? null : `http://localhost:${memberPort}`

    const dataFile = options.dataDir ? join(options.dataDir, 'dataset.ndjson') : undefined
    const seedDataset = !dataFile || !existsSync(dataFile)
    const rules = resolveAccessRules()
    const webhookSecret = randomBytes(24).toString('base64url')
    // Clerk's own events (sign-ups, verified addresses) reach the proxy as at Clerk: Svix-signed.
    const clerkWebhookSecret = generateWebhookSecret()
    const users = await demoUsers(options.dataDir)
    const lake = await startContentLake({
      projectId: DEMO_PROJECT_ID,
      dataset: DEMO_DATASET,
      port: await choosePort(ports.lake),
      users: [users.editor, users.administrator, users.viewer],
      ...(seedDataset ? {documents: generateSanityDocuments(clerkSeed)} : {}),
      ...(dataFile ? {dataFile} : {}),
      ...(options.webhookTimings ? {webhookTimings: options.webhookTimings} : {}),
      webhooks: [
        {
          name: 'clerk-access-sync',
          url: `${proxyUrl}/webhook`,
          filter: documentEventFilter(rules),
          projection: DOCUMENT_EVENT_PROJECTION,
          on: ['create', 'update', 'delete'],
          secret: webhookSecret,
        },
      ],
    })
    closers.push(() => lake.close())
    // The proxy and test code talk to the lake over TLS with its self-signed certificate.
    trustCertificate(lake.caCert)
    log(`Content Lake   ${lake.apiHost} (${seedDataset ? 'seeded' : `loaded ${dataFile}`})`)
    log(`Clerk emulator ${clerk.url} (${clerkSeed.users.length} users)`)

    const proxyOptions: ClerkProxyOptions = {
      clerkSecretKey: clerk.secretKey,
      clerkApiUrl: clerk.url,
      sanity: {
        projectId: DEMO_PROJECT_ID,
        dataset: DEMO_DATASET,
        token: users.viewer.token,
        apiHost: lake.apiHost,
      },
      allowedOrigins: [studioUrl, ...(options.extraOrigins ?? [])],
      // The lake's own trusting transport: the process-wide fetch pins the CA list of its first
      // TLS connection, so a second lake in the same process (a restart in tests) would fail.
      fetch: lake.resolveFetch(),
      webhookSecret,
      clerkWebhookSecret,
      // Invitation links land on the member site (the demo's sign-up), or the Studio without it.
      invitationRedirectUrl: memberSiteUrl ?? studioUrl,
      rules: {},
      ...(options.recheckAfterMs !== undefined && {
        convergence: {recheckAfterMs: options.recheckAfterMs},
      }),
      logger: options.proxyLogger ?? {
        info: () => {},
        warn: (...args: unknown[]) => console.warn('proxy:', ...args),
        error: (...args: unknown[]) => console.error('proxy:', ...args),
      },
    }
    let proxy: RunningNodeServer | null = null
    const startProxy = async () => {
      if (!proxy)
        proxy = await startNodeServer(proxyOptions, {
          port: proxyPort,
          ...(options.validitySweepMs !== undefined && {validitySweepMs: options.validitySweepMs}),
        })
    }
    const stopProxy = async () => {
      const running = proxy
      proxy = null
      await running?.close()
    }
    await startProxy()
    closers.push(stopProxy)
    // After the seed: Clerk sends events from now on, so the seed itself fires none.
    clerk.webhooks.setEndpoint({url: `${proxyUrl}/clerk-webhook`, secret: clerkWebhookSecret})
    log(`Proxy          ${proxyUrl}`)

    if (memberPort !== null && memberSiteUrl !== null) {
      const memberSite = await startDemoMemberSite({
        clerk,
        lake,
        viewerToken: users.viewer.token,
        seed: clerkSeed,
        port: memberPort,
        ...(options.memberRefreshMs !== undefined && {refreshMs: options.memberRefreshMs}),
      })
      closers.push(() => memberSite.close())
      log(`Member site    ${memberSite.url}`)
    }

    const studioEnv = {
      SANITY_STUDIO_PROJECT_ID: DEMO_PROJECT_ID,
      SANITY_STUDIO_DATASET: DEMO_DATASET,
      SANITY_STUDIO_API_HOST: lake.apiHost,
      SANITY_STUDIO_CLERK_PROXY_URL: proxyUrl,
      SANITY_STUDIO_MEMBER_SITE_URL: memberSiteUrl ?? '',
    }
    if (options.studio !== false) {
      const build = await buildStudio({
        studioDir: DEMO_STUDIO_DIR,
        outDir: options.studioOutDir ?? join(DEMO_STUDIO_DIR, 'dist'),
        env: studioEnv,
        inputs: [join(REPO_ROOT, 'src'), DEMO_STUDIO_DIR],
      })
      log(
        `Studio         ${build.built ? `built in ${(build.ms / 1000).toFixed(1)} s` : 'up to date'}`,
      )
      const studio: StaticServer = await serveStatic({root: build.outDir, port: studioPort})
      closers.push(() => studio.close())
    }

    const reconciled =
      options.reconcile === false ? null : await reconcileAll(proxyUrl, users.administrator.token)
    if (reconciled) {
      log(
        `Reconciled     ${reconciled.scanned} subjects, ${reconciled.written} written, ${reconciled.failed} failed`,
      )
    }

    const loginUrl = `https://${DEMO_PROJECT_ID}.localhost:${lake.port}/__lake/login?${new URLSearchParams({origin: studioUrl})}`
    return {
      studioUrl,
      loginUrl,
      proxyUrl,
      lake,
      clerk,
      clerkSeed,
      logins: users,
      studioEnv,
      memberSiteUrl,
      reconciled,
      stopProxy,
      startProxy,
      close,
    }
  } catch (error) {
    await close()
    throw error
  }
}

/** Puts the demo population into the emulator (ids fixed by the seed, so entitlements match). */
export function seedClerk(clerk: ClerkEmulator, seed: DemoClerkSeed): void {
  for (const user of seed.users) {
    clerk.store.createUser({
      id: user.id,
      first_name: user.firstName,
      last_name: user.lastName,
      email_address: [user.email],
      created_at: user.createdAt,
    })
  }
  for (const organization of seed.organizations) {
    clerk.store.createOrganization({
      id: organization.id,
      name: organization.name,
      slug: organization.slug,
      created_at: organization.createdAt,
    })
  }
  for (const membership of seed.memberships) {
    clerk.store.addMembership({
      organization_id: membership.organizationId,
      user_id: membership.userId,
      role: membership.role,
    })
  }
}

/**
 * The demo's Sanity logins. With a data folder their tokens are kept, so a Studio that stayed
 * open across a restart is still logged in.
 */
async function demoUsers(dataDir: string | undefined): Promise<DemoLogins> {
  const file = dataDir ? join(dataDir, 'logins.json') : null
  if (file && existsSync(file)) {
    const stored = JSON.parse(await readFile(file, 'utf8')) as DemoLogins
    if (stored.editor?.token && stored.administrator?.token && stored.viewer?.token) return stored
  }
  const token = () => `sk-demo-${randomBytes(24).toString('base64url')}`
  const logins: DemoLogins = {
    editor: {
      id: 'pEditor',
      name: 'Eddie Editor',
      email: 'eddie@example.test',
      role: 'editor',
      token: token(),
    },
    administrator: {
      id: 'pAdmin',
      name: 'Avery Admin',
      email: 'avery@example.test',
      role: 'administrator',
      token: token(),
    },
    viewer: {
      id: 'pViewer',
      name: 'Vera Viewer',
      email: 'vera@example.test',
      role: 'viewer',
      token: token(),
    },
  }
  if (file && dataDir) {
    await mkdir(dataDir, {recursive: true})
    await writeFile(file, JSON.stringify(logins, null, 2), {mode: 0o600})
  }
  return logins
}

const trusted = new Set<string>()

/**
 * Adds a certificate to this process's default trust store, so `fetch` and `@sanity/client` reach
 * the lake without `NODE_TLS_REJECT_UNAUTHORIZED=0` (which would switch checks off everywhere).
 */
export function trustCertificate(pem: string): void {
  if (trusted.has(pem)) return
  trusted.add(pem)
  setDefaultCACertificates([...getCACertificates('default'), ...trusted])
}

/** Runs `POST /reconcile` (not a dry run) as an administrator and returns its summary. */
export async function reconcileAll(
  proxyUrl: string,
  adminToken: string,
): Promise<{scanned: number; drifted: number; written: number; failed: number}> {
  const response = await fetch(`${proxyUrl}/reconcile`, {
    method: 'POST',
    headers: {authorization: `Bearer ${adminToken}`, 'content-type': 'application/json'},
    body: JSON.stringify({dryRun: false}),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`reconcile failed: ${response.status} ${text.slice(0, 500)}`)
  const events = text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as ReconcileEvent)
  const done = events.find((event) => event.type === 'done')
  if (!done || done.type !== 'done') {
    throw new Error(`reconcile ended without a summary: ${text.slice(-500)}`)
  }
  return {scanned: done.scanned, drifted: done.drifted, written: done.written, failed: done.failed}
}
