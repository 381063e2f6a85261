/**
 * Bench 3: a burst of signed webhook deliveries through the proxy's `/webhook` route, several per
 * user within one second, while an editor changes some of those users' access halfway through
 * (each change followed by its own delivery, as Sanity sends it). Counts Clerk writes per user
 * from the emulator's log and checks every user ends exactly at the truth of the final content.
 */
import type {EntitlementInput} from '../core/access'
import {generatePopulation, mismatches} from './lib/population'
import type {BenchOptions, BenchResult} from './lib/report'
import {callProxy, startBenchStack} from './lib/stack'
import {timed} from './lib/stats'
import {webhookDelivery} from './lib/webhook'

const INJECTED_MS = 20
const BURST_MS = 1000
const UPGRADED_PLAN = {key: 'team', rank: 3}

async function sleep(ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

/** Clerk writes for a burst of deliveries, and the final state against the truth. */
export async function benchBurst({quick, log}: BenchOptions): Promise<BenchResult> {
  const users = quick ? 20 : 100
  const deliveries = quick ? 200 : 1000
  const edited = Math.max(1, users / 10)
  const population = generatePopulation(users)
  const stack = await startBenchStack({
    documents: population.documents,
    clerkUserIds: population.userIds,
    clerkLatencyMs: INJECTED_MS,
    lakeLatencyMs: INJECTED_MS,
  })
  try {
    // Clerk starts stale for everyone, so every user needs exactly one write to be right.
    for (const userId of population.userIds) {
      stack.clerk.store.updateMetadata(userId, {public_metadata: {plan: 'stale'}})
    }
    const firstEntitlement = (userId: string): EntitlementInput => {
      const entitlement = population.entitlements.get(userId)?.[0]
      if (!entitlement) throw new Error(`${userId} holds no entitlement`)
      return entitlement
    }
    const deliver = async (userId: string) => {
      const {_id: documentId} = firstEntitlement(userId)
      return callProxy(
        stack,
        await webhookDelivery(stack, {documentId, before: userId, after: userId}),
      )
    }
    const editHalfway = async () => {
      await sleep(BURST_MS / 2)
      const changed = population.userIds.slice(0, edited)
      await Promise.all(
        changed.map(async (userId) => {
          const entitlement = firstEntitlement(userId)
          const {_id: documentId} = entitlement
          await stack.editor
            .patch(documentId)
            .set({plan: {_type: 'reference', _ref: 'plan-team'}})
            .commit()
          entitlement.plan = UPGRADED_PLAN
          await deliver(userId)
        }),
      )
    }

    log(`${deliveries} deliveries for ${users} users over ${BURST_MS} ms, ${edited} edited halfway`)
    stack.resetCounts()
    const failures: unknown[] = []
    const {ms} = await timed(async () => {
      const sent: Array<Promise<unknown>> = [editHalfway()]
      const gap = BURST_MS / deliveries
      for (let index = 0; index < deliveries; index++) {
        const userId = population.userIds[index % users]!
        sent.push(deliver(userId).catch((error: unknown) => failures.push(error)))
        if ((index + 1) % 10 === 0) await sleep(gap * 10)
      }
      await Promise.all(sent)
    })
    const counts = stack.counts()
    const writesPerUser = population.userIds.map(
      (userId) => counts.clerk.writesBySubject[userId] ?? 0,
    )
    const maxPerUser = Math.max(...writesPerUser)
    const wrong = mismatches(population.userIds, population, (userId) => {
      return stack.clerk.store.getUser(userId)?.public_metadata
    })
    const totalDeliveries = deliveries + edited
    return {
      name: 'burst',
      title: 'Burst coalescing',
      setup:
        `${deliveries} signed deliveries to /webhook for ${users} users spread over ${BURST_MS} ms ` +
        `(${deliveries / users} per user), plus ${edited} editor changes halfway, each followed by ` +
        `its delivery; ${INJECTED_MS} ms injected per Content Lake and Clerk request; Clerk at its ` +
        'production rate limit. Every user starts stale, so the minimum is one write per user.',
      figures: [
        {
          label: 'Clerk writes',
          value: counts.clerk.writes,
          unit: 'req',
          reference: {label: 'users (one write each)', value: users + edited},
          goal: `close to ${users}; ≤ 2 per user`,
          met: maxPerUser <= 2,
          note: `the ${edited} edited users may need a second write`,
        },
        {
          label: 'Most Clerk writes for one user',
          value: maxPerUser,
          unit: 'req',
          goal: '≤ 2',
          met: maxPerUser <= 2,
        },
        {
          label: 'Clerk reads',
          value: counts.clerk.reads,
          unit: 'req',
          reference: {label: 'deliveries', value: totalDeliveries},
        },
        {
          label: 'GROQ queries',
          value: counts.sanity.queries,
          unit: 'req',
          reference: {label: 'deliveries', value: totalDeliveries},
        },
        {
          label: 'Clerk 429 answers',
          value: counts.clerk.rateLimited,
          unit: 'req',
        },
        {
          label: 'Failed deliveries',
          value: failures.length,
          unit: 'deliveries',
          goal: '0',
          met: failures.length === 0,
        },
        {
          label: 'Users not at the truth afterwards',
          value: wrong.length,
          unit: 'users',
          goal: '0',
          met: wrong.length === 0,
        },
        {
          label: 'Burst handled in',
          value: ms,
          unit: 'ms',
          reference: {label: 'burst length', value: BURST_MS},
        },
      ],
      notes: failures.length > 0 ? [`First failure: ${String(failures[0]).slice(0, 300)}`] : [],
    }
  } finally {
    await stack.close()
  }
}
