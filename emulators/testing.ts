/**
 * The published `sanity-plugin-clerk/testing` entry. The stand-ins' own dependencies are not
 * installed with the plugin (see `testingPeers.ts`), and a static import of a missing package
 * fails while ESM links the module graph, before any code could explain it. So this entry imports
 * nothing that needs them: it checks first, then loads the stand-ins (`./index`) dynamically and
 * re-exports them.
 * `testing.test.ts` keeps the list below equal to everything `./index` exports.
 */
import {testingPeerProblems, testingPeersError} from './testingPeers'

const problems = await testingPeerProblems()
if (problems.length) throw testingPeersError(problems)

const standIns: typeof import('./index') = await import('./index')

export type * from './index'
export const {
  CLERK_DEFAULT_METADATA_LIMIT,
  CLERK_RATE_LIMIT_PRESETS,
  CLERK_SEED_PRESETS,
  ClerkStore,
  LAKE_API_VERSION,
  createLakeClient,
  seedClerkStore,
  signWebhookPayload,
  startClerkEmulator,
  startContentLake,
} = standIns
/** The Clerk emulator's store (a class: its instances are typed by this name too). */
export type ClerkStore = import('./index').ClerkStore
