import type {Lease, ProxyStore} from '../store'

/** How leases are taken and kept. */
export interface LeasePolicy {
  /** A lease lasts this long unless renewed; a crashed holder blocks others at most this long. */
  ttlMs: number
  /** How long to wait for a lease someone else holds before giving up. */
  waitMs: number
  sleep(ms: number): Promise<void>
}

/**
 * Takes the lease on `name`, waiting (polling with growing pauses, up to 250 ms) while another
 * holder has it. `null` when it was still held after `waitMs`.
 */
export async function acquireLease(
  store: ProxyStore,
  name: string,
  policy: LeasePolicy,
): Promise<Lease | null> {
  let waited = 0
  for (let pause = 10; ; pause = Math.min(250, pause * 2)) {
    const lease = await store.acquireLease(name, policy.ttlMs)
    if (lease) return lease
    if (waited >= policy.waitMs) return null
    await policy.sleep(pause)
    waited += pause
  }
}

/**
 * Renews `leases` every third of their TTL until the returned function is called, so a run that
 * is slow for a good reason (Clerk's rate limit, retries) keeps its subjects while a crashed
 * process loses them after one TTL. `leases` (an array or a map) is read at each renewal: leases
 * added to it after the call (a batch still taking its later ones) are kept too.
 */
export function keepLeases(
  store: ProxyStore,
  leases: {values(): Iterable<Lease>},
  ttlMs: number,
): () => void {
  const timer = setInterval(
    () => {
      for (const lease of leases.values()) void store.renewLease(lease, ttlMs).catch(() => false)
    },
    Math.max(10, Math.floor(ttlMs / 3)),
  )
  ;(timer as {unref?: () => void}).unref?.()
  return () => clearInterval(timer)
}
