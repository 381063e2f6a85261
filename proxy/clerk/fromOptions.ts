import type {ResolvedClerkProxyOptions} from '../options'
import {createClerkGateway, type ClerkGateway} from './gateway'
import {
  createSharedRateBudget,
  createSharedSubjectWriteBudgets,
  defaultRateBudgetFor,
} from './rateBudget'

/**
 * The Clerk gateway the options describe. A store shared between instances also shares the
 * budgets: N instances together stay under Clerk's per-key limit and its per-user write limit.
 * This process's own store keeps local budgets (the per-key one strictly FIFO).
 */
export function clerkGatewayFor(options: ResolvedClerkProxyOptions): ClerkGateway {
  return createClerkGateway({
    secretKey: options.clerkSecretKey,
    ...(options.clerkApiUrl ? {apiUrl: options.clerkApiUrl} : {}),
    ...(options.sharedStore
      ? {
          rateLimit: createSharedRateBudget(
            options.store,
            options.clerkRateLimit ?? defaultRateBudgetFor(options.clerkSecretKey),
          ),
          userWriteBudgets: createSharedSubjectWriteBudgets(options.store),
        }
      : options.clerkRateLimit
        ? {rateLimit: options.clerkRateLimit}
        : {}),
    ...(options.clerkRetry ? {retry: options.clerkRetry} : {}),
  })
}
