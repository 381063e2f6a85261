/**
 * Secrets never reach a log: the proxy runs a full cycle (searches, status, syncs, webhook,
 * reconcile) and every kind of failure (Clerk down, Clerk rejecting the key, Sanity down, a
 * refused oversize write, bad webhooks) with a logger that captures every line, and with
 * `console` watched for anything that bypasses the logger. No line may contain the Clerk secret
 * key, the proxy's Sanity token, the webhook secret, an editor's token, or any `sk_live_`/`sk_test_`
 * shaped string.
 */
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {entitlement, startProxyHarness, type ProxyHarness} from '../testing/proxy-harness'
import {createFigureTable} from './summary'

const CLERK_KEY_SHAPE = /sk_(?:live|test)_[A-Za-z0-9]+/

const figures = createFigureTable('secrets: every log line of a full sync and error cycle')
const consoleLines: string[] = []
let h: ProxyHarness
let wrongKey: ProxyHarness

beforeAll(async () => {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      consoleLines.push(
        args.map((arg) => (arg instanceof Error ? arg.stack : String(arg))).join(' '),
      )
    })
  }
  h = await startProxyHarness()
  // The same proxy, but Clerk does not accept its key: every Clerk call fails with 401.
  wrongKey = await startProxyHarness({proxy: {clerkSecretKey: 'sk_test_RejectedByClerk0123'}})
})

afterAll(async () => {
  vi.restoreAllMocks()
  figures.print()
  await Promise.all([h?.close(), wrongKey?.close()])
})

async function fullCycle(proxy: ProxyHarness) {
  const user = proxy.createUser('Lin')
  const big = proxy.clerk.store.createUser({
    first_name: 'Big',
    private_metadata: {blob: 'x'.repeat(8000)},
  }).id
  await proxy.publish(
    entitlement('lin-1', user, {plan: 'plan-pro', courses: ['course-intro']}),
    entitlement('big-1', big, {plan: 'plan-pro', courses: ['course-intro', 'course-advanced']}),
  )
  await proxy.call('/me')
  await proxy.call('/users?query=lin')
  await proxy.call('/organizations?query=acme')
  await proxy.call(`/users/${user}`)
  await proxy.call('/sync', {body: {subjects: [user, big, 'user_gone']}})
  await proxy.call('/sync', {body: {documentId: 'lin-1'}})
  await proxy.webhook({
    _id: 'lin-1',
    _type: 'clerkEntitlement',
    before: null,
    after: {clerkUserId: user},
  })
  await proxy.webhook({_id: 'lin-1'}, {secret: 'whsec-wrong'})
  await proxy.webhook({_id: 'lin-1'}, {timestamp: Date.now() - 3_600_000})
  await (await proxy.call('/reconcile', {body: {dryRun: false}})).text()

  // Clerk fails in every way it can.
  for (const fault of [
    {type: 'status', status: 503},
    {type: 'status', status: 429, retryAfterSeconds: 60},
    {type: 'reset'},
    {type: 'content-type', contentType: 'text/html'},
  ] as const) {
    proxy.clerk.faults.add({times: 10, fault})
    await proxy.call(`/users/${user}`)
    await proxy.call('/sync', {body: {subjects: [user]}})
    proxy.clerk.faults.clear()
  }
  // Sanity fails: queries and the editor's identity check.
  proxy.lake.faults.add({route: '^/data/query/', status: 500, times: 20})
  await proxy.call('/sync', {body: {documentId: 'lin-1'}})
  await proxy.webhook({_id: 'lin-1', _type: 'clerkEntitlement', after: {clerkUserId: user}})
  proxy.lake.faults.clear()
  proxy.lake.faults.add({route: '^/users/me', status: 502, times: 5})
  await proxy.call('/me', {as: 'editor'})
  proxy.lake.faults.clear()
}

describe('log lines and console output', () => {
  it('carry no secret through a full sync and error cycle', {timeout: 60_000}, async () => {
    await fullCycle(h)
    await fullCycle(wrongKey)
    const editorTokens = (['administrator', 'editor', 'viewer'] as const).map(
      (role) => h.lake.clientConfig(role).token,
    )
    const secrets = [
      h.secrets.clerkSecretKey,
      h.secrets.sanityToken,
      h.secrets.webhookSecret,
      wrongKey.secrets.clerkSecretKey,
      ...editorTokens,
    ]
    // The transcripts hold every response body and every line the proxy logged.
    const lines = [...h.transcript, ...wrongKey.transcript, ...consoleLines]
    const logLines = lines.filter((line) => /^(info|warn|error) /.test(line))
    const leaking = lines.filter(
      (line) => CLERK_KEY_SHAPE.test(line) || secrets.some((secret) => line.includes(secret)),
    )
    figures.set('log lines captured', logLines.length)
    figures.set('error log lines', logLines.filter((line) => line.startsWith('error')).length)
    figures.set('response bodies captured', lines.length - logLines.length - consoleLines.length)
    figures.set('console lines outside the logger', consoleLines.length)
    figures.set('lines with a secret (goal 0)', leaking.length)
    expect(logLines.filter((line) => line.startsWith('error')).length).toBeGreaterThan(0)
    expect(leaking).toEqual([])
  })

  it('redacts the key when it reaches the logger inside data', async () => {
    const before = h.transcript.length
    const key = h.secrets.clerkSecretKey
    // A correctly signed delivery whose document id IS the key: the proxy logs the id it handled.
    const response = await h.webhook({_id: key, _type: 'clerkEntitlement', after: null})
    expect(response.status).toBe(200)
    const lines = h.transcript.slice(before)
    expect(lines.some((line) => line.startsWith('info webhook [redacted]'))).toBe(true)
    expect(lines.filter((line) => line.includes(key))).toEqual([])
  })
})
