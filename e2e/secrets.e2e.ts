/**
 * The Studio bundle carries no secret and no Clerk server code. The demo Studio is built with its
 * own CLI on a machine whose environment holds the proxy's secrets (as a developer's shell or a
 * CI job would), then every file of the output is scanned for those values, for anything shaped
 * like a Clerk secret key, and for code only `@clerk/backend` contains.
 */
import {randomBytes} from 'node:crypto'
import {readdir, readFile, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {buildStudio, DEMO_STUDIO_DIR, REPO_ROOT} from '../demo/buildStudio'
import {DEMO_DATASET, DEMO_PROJECT_ID} from '../demo/constants'
import {PROXY_ENV} from '../proxy/options'

const OUT_DIR = join(REPO_ROOT, '.tmp', 'secrets-probe-studio')

/** Secrets as the demo makes them (`demo/stack.ts`), present in the build's environment. */
const SECRETS = {
  [PROXY_ENV.clerkSecretKey]: `sk_test_${randomBytes(18).toString('hex')}`,
  [PROXY_ENV.webhookSecret]: randomBytes(24).toString('base64url'),
  [PROXY_ENV.token]: `sk${randomBytes(30).toString('hex')}`,
}
const CLERK_KEY_SHAPE = /sk_(?:test|live)_[A-Za-z0-9]{8,}/g
/** String literals only `@clerk/backend` holds: its API host, its headers, its cookie names. */
const CLERK_BACKEND_MARKERS = [
  'api.clerk.com',
  'Clerk-API-Version',
  'x-clerk-auth-reason',
  '__clerk_db_jwt',
]

let files: Array<{path: string; text: string}> = []
const saved: Record<string, string | undefined> = {}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, {withFileTypes: true})
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
    ),
  )
  return nested.flat()
}

beforeAll(async () => {
  for (const [name, value] of Object.entries(SECRETS)) {
    saved[name] = process.env[name]
    process.env[name] = value
  }
  // Always a fresh build: a cached one would not have seen these secrets.
  await rm(OUT_DIR, {recursive: true, force: true})
  await buildStudio({
    studioDir: DEMO_STUDIO_DIR,
    outDir: OUT_DIR,
    env: {
      SANITY_STUDIO_PROJECT_ID: DEMO_PROJECT_ID,
      SANITY_STUDIO_DATASET: DEMO_DATASET,
      SANITY_STUDIO_API_HOST: 'https://localhost:3334',
      SANITY_STUDIO_CLERK_PROXY_URL: 'http://127.0.0.1:3336',
    },
  })
  files = await Promise.all(
    (await listFiles(OUT_DIR)).map(async (path) => ({path, text: await readFile(path, 'latin1')})),
  )
})

afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await rm(OUT_DIR, {recursive: true, force: true})
})

describe('the built Studio', () => {
  it('is a real bundle that contains the plugin', () => {
    const scripts = files.filter(({path}) => path.endsWith('.js'))
    expect(scripts.length).toBeGreaterThan(0)
    // The plugin is in it: its proxy URL was inlined and its schema types are registered.
    expect(files.some(({text}) => text.includes('http://127.0.0.1:3336'))).toBe(true)
    expect(files.some(({text}) => text.includes('clerkEntitlement'))).toBe(true)
    console.info(
      `secrets e2e: scanned ${files.length} files, ${(files.reduce((n, f) => n + f.text.length, 0) / 1e6).toFixed(1)} MB`,
    )
  })

  it('holds none of the secrets in the build environment', () => {
    const found = Object.entries(SECRETS).flatMap(([name, value]) =>
      files.filter(({text}) => text.includes(value)).map(({path}) => `${name} in ${path}`),
    )
    expect(found).toEqual([])
  })

  it('holds nothing shaped like a Clerk secret key', () => {
    const found = files.flatMap(({path, text}) =>
      [...text.matchAll(CLERK_KEY_SHAPE)].map((match) => `${match[0]} in ${path}`),
    )
    expect(found).toEqual([])
  })

  it('holds no @clerk/backend code', () => {
    const found = files.flatMap(({path, text}) =>
      CLERK_BACKEND_MARKERS.filter((marker) => text.includes(marker)).map(
        (marker) => `${marker} in ${path}`,
      ),
    )
    expect(found).toEqual([])
  })
})
