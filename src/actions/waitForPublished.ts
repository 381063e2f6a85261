import type {SanityClient} from 'sanity'

/** What the published document must look like before the sync may run. */
export type PublishedCondition = {kind: 'changedFrom'; rev: string | null} | {kind: 'gone'}

/** Options of {@link waitForPublished}; tests shorten the schedule. */
export interface WaitOptions {
  /** Delays between checks; the last one repeats. */
  delaysMs?: number[]
  /** Give up after this long (the editor may have cancelled a confirm dialog). */
  timeoutMs?: number
  sleep?: (ms: number) => Promise<void>
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function met(condition: PublishedCondition, rev: string | null): boolean {
  return condition.kind === 'gone' ? rev === null : rev !== null && rev !== condition.rev
}

/**
 * Resolves `true` once the published document in the Content Lake meets `condition` (so the
 * proxy, which reads published content, sees the change), `false` after the timeout.
 */
export async function waitForPublished(
  client: SanityClient,
  publishedId: string,
  condition: PublishedCondition,
  {delaysMs = [250, 500, 1000, 2000], timeoutMs = 120_000, sleep = defaultSleep}: WaitOptions = {},
): Promise<boolean> {
  let waited = 0
  for (let attempt = 0; ; attempt++) {
    const rev = await client
      .fetch<string | null>('*[_id == $id][0]._rev', {id: publishedId}, {perspective: 'raw'})
      .catch(() => undefined)
    if (rev !== undefined && met(condition, rev)) return true
    const delay = delaysMs[Math.min(attempt, delaysMs.length - 1)]!
    if (waited + delay > timeoutMs) return false
    await sleep(delay)
    waited += delay
  }
}
