/**
 * Bench 4: what the Clerk picker costs. The plugin's real hooks (`useDebouncedValue` with the
 * picker's debounce, `useSubjectSearch` on the plugin's own QueryClient) run in jsdom; the proxy
 * client talks to the real proxy handler in-process; Clerk requests are counted by the emulator.
 * An editor types a query one key at a time, waits for the result, clears the field and types
 * the same query again (the cached case). Then proxy search time vs a direct SDK call.
 */
import {createClerkClient} from '@clerk/backend'
import type {ReactNode} from 'react'

import {createProxyClient} from '../src/client/proxyClient'
import {resolveConfig} from '../src/resolveConfig'
import {installDom} from './lib/dom'
import {generatePopulation} from './lib/population'
import type {BenchOptions, BenchResult} from './lib/report'
import {startBenchStack, type BenchStack} from './lib/stack'
import {median, timed} from './lib/stats'

/** Milliseconds between keystrokes: a brisk typist, faster than the picker's debounce. */
const KEYSTROKE_MS = 80
const CLERK_LATENCY_MS = 20

async function sleep(ms: number) {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

interface PickerRun {
  settledRequests: number[]
  cachedRequests: number[]
  keystrokes: number
}

/** Types each query into the picker's hooks and counts the Clerk requests each one caused. */
async function typeQueries(stack: BenchStack, queries: string[]): Promise<PickerRun> {
  const dom = installDom()
  try {
    // Loaded after the DOM exists: react-dom decides at import time whether it can render.
    const {act, renderHook, waitFor} = await import('@testing-library/react')
    const {ClerkAccessProvider, createClerkQueryClient} = await import('../src/client/context')
    const {useSubjectSearch} = await import('../src/client/queries')
    const {useDebouncedValue} = await import('../src/components/useDebouncedValue')
    const {SEARCH_DEBOUNCE_MS} = await import('../src/components/ClerkSubjectInput')

    const client = createProxyClient({
      proxyUrl: stack.proxyOrigin,
      getToken: () => stack.tokens.editor,
      fetch: (input, init) => stack.proxy(new Request(input, init)),
    })
    const config = resolveConfig({proxyUrl: stack.proxyOrigin})
    const queryClient = createClerkQueryClient()
    const wrapper = ({children}: {children: ReactNode}) => (
      <ClerkAccessProvider config={config} client={client} hasToken queryClient={queryClient}>
        {children}
      </ClerkAccessProvider>
    )
    const picker = renderHook(
      ({typed}: {typed: string}) => {
        const debounced = useDebouncedValue(typed, SEARCH_DEBOUNCE_MS)
        return {
          debounced,
          search: useSubjectSearch('user', debounced, {enabled: debounced.length > 0}),
        }
      },
      {initialProps: {typed: ''}, wrapper},
    )
    const typeAndSettle = async (query: string): Promise<number> => {
      stack.resetCounts()
      for (let length = 1; length <= query.length; length++) {
        act(() => picker.rerender({typed: query.slice(0, length)}))
        await sleep(KEYSTROKE_MS)
      }
      await waitFor(
        () => {
          const {debounced, search} = picker.result.current
          if (debounced !== query || search.isFetching || !search.isSuccess) {
            throw new Error(`not settled on ${query}`)
          }
          if (!search.data.data.some((user) => user.id.endsWith(query))) {
            throw new Error(`result for ${query} misses the user`)
          }
        },
        {timeout: 10_000, interval: 10},
      )
      const {clerk} = stack.counts()
      return clerk.lists
    }
    const run: PickerRun = {settledRequests: [], cachedRequests: [], keystrokes: 0}
    for (const query of queries) {
      run.settledRequests.push(await typeAndSettle(query))
      act(() => picker.rerender({typed: ''}))
      await sleep(SEARCH_DEBOUNCE_MS + 50)
      run.cachedRequests.push(await typeAndSettle(query))
      act(() => picker.rerender({typed: ''}))
      run.keystrokes += 2 * query.length
    }
    picker.unmount()
    queryClient.clear()
    return run
  } finally {
    dom.remove()
  }
}

/** Requests per settled picker query, cache hits, and proxy search time vs the SDK's. */
export async function benchPickerSearch({quick, log}: BenchOptions): Promise<BenchResult> {
  const users = quick ? 200 : 2000
  const queryCount = quick ? 3 : 10
  const timingSamples = quick ? 10 : 60
  const population = generatePopulation(users)
  const stack = await startBenchStack({
    clerkUserIds: population.userIds,
    clerkRateLimit: false,
    clerkLatencyMs: CLERK_LATENCY_MS,
  })
  try {
    // Distinct six-digit suffixes, each naming exactly one user.
    const queries = Array.from({length: queryCount}, (_, index) =>
      population.userIds[(index * 7919) % users]!.slice(-6),
    )
    log(`typing ${queryCount} queries into the picker hooks`)
    const run = await typeQueries(stack, queries)

    log(`timing ${timingSamples} searches: proxy vs direct SDK`)
    const proxyClient = createProxyClient({
      proxyUrl: stack.proxyOrigin,
      getToken: () => stack.tokens.editor,
      fetch: (input, init) => stack.proxy(new Request(input, init)),
    })
    const sdk = createClerkClient({
      secretKey: stack.clerk.secretKey,
      apiUrl: stack.clerk.url,
      telemetry: {disabled: true},
    })
    const proxyMs: number[] = []
    const sdkMs: number[] = []
    stack.resetCounts()
    for (let index = 0; index < timingSamples; index++) {
      const query = queries[index % queries.length]!
      proxyMs.push((await timed(() => proxyClient.searchUsers({query, limit: 10}))).ms)
    }
    const proxyRequests = stack.counts().clerk.total
    stack.resetCounts()
    for (let index = 0; index < timingSamples; index++) {
      const query = queries[index % queries.length]!
      sdkMs.push((await timed(() => sdk.users.getUserList({query, limit: 10}))).ms)
    }
    const sdkRequests = stack.counts().clerk.total

    const perSettled = median(run.settledRequests)
    const maxSettled = Math.max(...run.settledRequests)
    const cachedTotal = run.cachedRequests.reduce((sum, count) => sum + count, 0)
    return {
      name: 'picker-search',
      title: 'Picker search',
      setup:
        `${queryCount} six-character queries typed one key every ${KEYSTROKE_MS} ms into the ` +
        `plugin's hooks (useDebouncedValue + useSubjectSearch, plugin QueryClient) in jsdom, ` +
        `${users} Clerk users, ${CLERK_LATENCY_MS} ms injected Clerk latency; timing: ` +
        `${timingSamples} searches each way, median.`,
      figures: [
        {
          label: 'Clerk requests per settled query (median)',
          value: perSettled,
          unit: 'req',
          reference: {label: 'goal', value: 1},
          goal: '1 (max over queries ≤ 1)',
          met: perSettled === 1 && maxSettled <= 1,
          note: `max ${maxSettled}, ${run.keystrokes / 2} keystrokes in all`,
        },
        {
          label: 'Clerk requests for repeated queries (all, within staleTime)',
          value: cachedTotal,
          unit: 'req',
          goal: '0',
          met: cachedTotal === 0,
        },
        {
          label: 'Search through the proxy, wall time',
          value: median(proxyMs),
          unit: 'ms',
          reference: {label: 'direct users.getUserList', value: median(sdkMs)},
          goal: '≤ 1.1× direct',
          met: median(proxyMs) <= 1.1 * median(sdkMs),
        },
        {
          label: 'Clerk requests per search, proxy',
          value: proxyRequests / timingSamples,
          unit: 'req',
          reference: {label: 'direct users.getUserList', value: sdkRequests / timingSamples},
          goal: '1',
          met: proxyRequests === timingSamples,
        },
      ],
      notes: [
        "The plugin's QueryClient keeps results fresh for 10 s (staleTime); a query repeated " +
          'later is shown from cache at once and refetched in the background (one request).',
        'The SDK pairs every list with a count request (two per search); the proxy sends one.',
      ],
    }
  } finally {
    await stack.close()
  }
}
