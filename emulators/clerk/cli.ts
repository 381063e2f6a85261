/**
 * Runs the emulator on its own: `npx tsx emulators/clerk/cli.ts --port 4010 --seed demo`.
 * Prints the URL and key to use as `apiUrl` and `secretKey`, and stops on Ctrl-C.
 */
import {parseArgs} from 'node:util'
import {startClerkEmulator} from './server'

const {values} = parseArgs({
  options: {
    port: {type: 'string', default: '4010'},
    seed: {type: 'string'},
    users: {type: 'string'},
    organizations: {type: 'string'},
    'secret-key': {type: 'string'},
    'latency-ms': {type: 'string'},
    'no-rate-limit': {type: 'boolean', default: false},
  },
})

function whole(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number, got ${text}`)
    process.exit(2)
  }
  return value
}

const users = whole('users', values.users)
const organizations = whole('organizations', values.organizations)
const sized = users !== undefined || organizations !== undefined
const emulator = await startClerkEmulator({
  port: whole('port', values.port) ?? 4010,
  ...(values['secret-key'] && {secretKey: values['secret-key']}),
  latencyMs: whole('latency-ms', values['latency-ms']) ?? 0,
  ...(values['no-rate-limit'] && {rateLimit: false as const}),
  ...(sized
    ? {seed: {users, organizations, seed: values.seed ?? 'clerk-emulator'}}
    : values.seed !== undefined && {seed: values.seed}),
})
const {users: userCount, organizations: organizationCount} = emulator.store.counts
console.info(`Clerk emulator listening on ${emulator.url}`)
// A key passed on the command line may be real; only the built-in test key is printed.
const keyHint = values['secret-key'] ? 'the key given with --secret-key' : emulator.secretKey
console.info(`  apiUrl: ${emulator.url}  secretKey: ${keyHint}`)
console.info(`  ${userCount} users, ${organizationCount} organizations`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void emulator.close().then(() => process.exit(0))
  })
}
