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

/** What {@link waitForPublished} saw once the condition held: the published revision (`null`: gone). */
export interface PublishedState {
  rev: string | null
}

/**
 * Resolves with the published revision once the document in the Content Lake meets `condition`,
 * `null` after the timeout. The sync names that revision, so the proxy never computes from a
 * read of Sanity older than it (its queries may lag behind the document endpoint).
 */
export async function waitForPublished(
  client: SanityClient,
  publishedId: string,
  condition: PublishedCondition,
  {delaysMs = [250, 500, 1000, 2000], timeoutMs = 120_000, sleep = defaultSleep}: WaitOptions = {},
): Promise<PublishedState | null> {
  let waited = 0
  for (let attempt = 0; ; attempt++) {
    const rev = await client
      .fetch<string | null>('*[_id == $id][0]._rev', {id: publishedId}, {perspective: 'raw'})
      .catch(() => undefined)
    if (rev !== undefined && met(condition, rev)) return {rev}
    const delay = delaysMs[Math.min(attempt, delaysMs.length - 1)]!
    if (waited + delay > timeoutMs) return null
    await sleep(delay)
    waited += delay
  }
}
