/**
 * `npm start`: the offline demo. Starts the local Content Lake, the Clerk emulator, the proxy and
 * the Studio, prints one URL, and stops everything cleanly on Ctrl-C.
 *
 * Environment: DEMO_STUDIO_PORT (3333), DEMO_LAKE_PORT (3334), DEMO_CLERK_PORT (3335),
 * DEMO_PROXY_PORT (3336), DEMO_MEMBER_PORT (3337), DEMO_SEED (7), DEMO_DATA_DIR (demo/.data). Busy ports are replaced by
 * free ones. Delete the data folder to start over from the seed.
 */
import {join} from 'node:path'

import {REPO_ROOT} from './buildStudio'
import {portFromEnv} from './ports'
import {startDemoStack, type DemoStack} from './stack'

function seedFromEnv(): number {
  const raw = process.env.DEMO_SEED?.trim()
  if (!raw) return 7
  const seed = Number(raw)
  if (!Number.isInteger(seed))
    throw new Error(`DEMO_SEED must be an integer, got ${JSON.stringify(raw)}`)
  return seed
}

async function main(): Promise<void> {
  const started = performance.now()
  const dataDir = process.env.DEMO_DATA_DIR?.trim() || join(REPO_ROOT, 'demo', '.data')
  console.info('Starting the offline demo (nothing leaves this machine)…')
  const stack = await startDemoStack({
    dataDir,
    seed: seedFromEnv(),
    ports: {
      studio: portFromEnv('DEMO_STUDIO_PORT', 3333),
      lake: portFromEnv('DEMO_LAKE_PORT', 3334),
      clerk: portFromEnv('DEMO_CLERK_PORT', 3335),
      proxy: portFromEnv('DEMO_PROXY_PORT', 3336),
      memberSite: portFromEnv('DEMO_MEMBER_PORT', 3337),
    },
  })
  stopOnSignals(stack)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.info(`
Ready in ${seconds} s. Open this URL and click "${stack.logins.editor.name}" to log in as a demo editor:

  ${stack.loginUrl}

The member site, where you sign in as a demo member and see what they may open (their session
token refreshes about every minute, so a grant or revoke shows within a minute):

  ${stack.memberSiteUrl}

The local Content Lake uses a self-signed certificate: the first time, your browser warns about
it; choose "Advanced" → "Proceed" (it is this machine). Data is kept in ${dataDir}
(delete it to start over). Press Ctrl-C to stop.`)
}

function stopOnSignals(stack: DemoStack): void {
  let stopping = false
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    console.info(`\n${signal}: saving the dataset and stopping…`)
    stack.close().then(
      () => {
        console.info('Stopped.')
        process.exit(0)
      },
      (error: Error) => {
        console.error('Stopping failed:', error.message)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: Error) => {
  console.error(`The demo could not start: ${error.message}`)
  process.exit(1)
})
