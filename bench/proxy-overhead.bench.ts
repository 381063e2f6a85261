/**
 * Bench 5: CPU time the proxy spends per authenticated read request (`GET /users/:id` status and
 * `GET /users?query=`), p50 and p99. The stand-ins run in a child process, so `process.cpuUsage`
 * in this process counts the proxy (routing, identity, SDK clients, JSON) and nothing else.
 * Compared with the CPU of doing the same upstream calls directly with the SDKs, in the same run.
 */
import {createClerkClient} from '@clerk/backend'
import {createClient} from '@sanity/client'

import {createClerkProxy} from '../proxy'
import {entitlementProjection} from '../core/access'
import {benchRules, userIdOf} from './lib/population'
import type {BenchFigure, BenchOptions, BenchResult} from './lib/report'
import {
  callProxy,
  lakeFetch,
  proxyOptionsFor,
  STUDIO_ORIGIN,
  studioRequest,
  type StandInAddresses,
} from './lib/stack'
import {startStandInsProcess} from './lib/standins-process'
import {cpuTimed, median, percentile} from './lib/stats'

async function cpuSamples(count: number, task: (index: number) => Promise<unknown>) {
  const samples: number[] = []
  for (let index = 0; index < count; index++) {
    samples.push((await cpuTimed(() => task(index))).cpuMs)
  }
  return samples
}

/** The upstream calls a status answer needs, made directly with the SDKs. */
function directClients(addresses: StandInAddresses) {
  const clerk = createClerkClient({
    secretKey: addresses.clerkSecretKey,
    apiUrl: addresses.clerkUrl,
    telemetry: {disabled: true},
  })
  const {apiHost, projectId, dataset} = addresses.lake
  const sanity = createClient({
    projectId,
    dataset,
    apiHost,
    useProjectHostname: false,
    useCdn: false,
    apiVersion: '2025-02-19',
    perspective: 'published',
    token: addresses.tokens.viewer,
    resolveFetch: () => lakeFetch(addresses.lake.caCert),
  })
  const entitlementsQuery = `*[_type == "clerkEntitlement" && clerkUserId == $subject] ${entitlementProjection(benchRules)}`
  return {
    status: (userId: string) =>
      Promise.all([
        sanity.fetch(entitlementsQuery, {subject: userId}),
        clerk.users.getUser(userId),
        clerk.users.getOrganizationMembershipList({userId}),
      ]),
    search: (text: string) => clerk.users.getUserList({query: text, limit: 10}),
  }
}

function cpuFigures(
  route: string,
  proxySamples: number[],
  directSamples: number[],
  directLabel: string,
): BenchFigure[] {
  const directMedian = median(directSamples)
  return [
    {
      label: `${route}, CPU per request p50`,
      value: median(proxySamples),
      unit: 'ms',
      reference: {label: `${directLabel} p50`, value: directMedian},
    },
    {
      label: `${route}, CPU per request p99`,
      value: percentile(proxySamples, 99),
      unit: 'ms',
      reference: {label: `${directLabel} p99`, value: percentile(directSamples, 99)},
    },
  ]
}

/** CPU per proxy read request against the SDK calls it wraps. */
export async function benchProxyOverhead({quick, log}: BenchOptions): Promise<BenchResult> {
  const users = quick ? 100 : 1000
  const samples = quick ? 40 : 400
  const warmup = quick ? 10 : 50
  log(`starting stand-ins (${users} users) in a child process`)
  const standIns = await startStandInsProcess(users)
  try {
    const {addresses} = standIns
    const target = {
      proxy: createClerkProxy(proxyOptionsFor(addresses, 'unused-webhook-secret')),
      proxyOrigin: 'https://proxy.bench',
      studioOrigin: STUDIO_ORIGIN,
      tokens: addresses.tokens,
    }
    const direct = directClients(addresses)
    const statusOf = (index: number) =>
      callProxy(target, studioRequest(target, `/users/${userIdOf(index % users)}`))
    const searchFor = (index: number) =>
      callProxy(target, studioRequest(target, `/users?query=${(index % 97) + 1}&limit=10`))
    log('warming up (identity cache, JIT)')
    await cpuSamples(warmup, statusOf)
    await cpuSamples(warmup, searchFor)
    await cpuSamples(warmup, (index) => direct.status(userIdOf(index % users)))
    await cpuSamples(warmup, (index) => direct.search(String((index % 97) + 1)))

    log(`measuring ${samples} requests per route, one at a time`)
    const statusSamples = await cpuSamples(samples, statusOf)
    const directStatus = await cpuSamples(samples, (index) =>
      direct.status(userIdOf(index % users)),
    )
    const searchSamples = await cpuSamples(samples, searchFor)
    const directSearch = await cpuSamples(samples, (index) =>
      direct.search(String((index % 97) + 1)),
    )
    return {
      name: 'proxy-overhead',
      title: 'Proxy CPU per read request',
      setup:
        `${samples} sequential requests per route through the in-process proxy handler (editor ` +
        `token, identity cached after warm-up), ${users} users; stand-ins in a child process so ` +
        'process.cpuUsage counts only this side. Reference: the same upstream calls made directly ' +
        'with @sanity/client and @clerk/backend.',
      figures: [
        ...cpuFigures('GET /users/:id (status)', statusSamples, directStatus, 'direct SDK calls'),
        ...cpuFigures('GET /users?query=', searchSamples, directSearch, 'direct users.getUserList'),
      ],
      notes: [
        'Status needs one GROQ query, one Clerk user read and one memberships read; the direct ' +
          'reference makes the same three calls without routing, identity, diff or JSON answer.',
        'The direct users.getUserList sends two Clerk requests (list + count); the proxy sends one.',
      ],
    }
  } finally {
    await standIns.close()
  }
}
