import type {AccessRulesOptions} from '../../../core/access'
import {defaultUseProjectHostname, DEFAULT_SANITY_API_HOST} from '../../auth/identity'
import {type RateBudgetOptions, type RetryPolicy} from '../../clerk'
import {clerkGatewayFor} from '../../clerk/fromOptions'
import {createRedactingLogger, redactOutcome, type ProxyLogger} from '../../http/redact'
import {resolveClerkProxyOptions} from '../../options'
import {parseDocumentEvent, subjectsOfDocumentEvent} from '../../routes/documentEvent'
import {createSanityReadClient} from '../../sanity'
import type {ProxyStore} from '../../store'
import {createSyncEngine, type ConvergenceOptions, type SyncEngine} from '../../sync'

/**
 * What a Sanity Function's `documentEventHandler` receives, described structurally so this module
 * needs no `@sanity/functions` at run time. Extra fields (`local`, `invoke`, `resources`, and
 * anything a local emulator adds) pass through untouched.
 */
export interface DocumentFunctionInput {
  context: {
    /** Spread into `@sanity/client` as Sanity recommends (a local emulator may add settings). */
    clientOptions: {projectId: string; dataset: string; token: string; apiHost?: string}
  }
  event: {data: unknown}
}

/** Options of {@link createClerkSyncFunction}. Sanity's settings come from the Function's context. */
export interface ClerkSyncFunctionOptions {
  /** Clerk secret key: set it with `sanity functions env add`, never in the blueprint. */
  clerkSecretKey: string
  clerkApiUrl?: string
  /** The same rules as the Studio plugin and the proxy. */
  rules?: AccessRulesOptions
  clerkRateLimit?: RateBudgetOptions
  clerkRetry?: Partial<RetryPolicy>
  logger?: ProxyLogger
  /**
   * The store the proxy's other instances use (`createRedisStore`): Function invocations run in
   * parallel on many instances, so leases, revision witnesses, re-checks and the Clerk budget must
   * be shared with each other and with the proxy. Default: in memory, this instance only.
   */
  store?: ProxyStore
  convergence?: ConvergenceOptions | false
}

/**
 * A handler for a Sanity Function on document changes: syncs the subjects of `event.data` (the
 * same projection as the webhook, `DOCUMENT_EVENT_PROJECTION`) to Clerk. Failures of Clerk or
 * Sanity throw, so the invocation is marked failed; Functions are not retried, the scheduled
 * reconcile repairs what was missed.
 *
 * @example
 * ```ts
 * // functions/clerk-sync/index.ts
 * import {documentEventHandler} from '@sanity/functions'
 * import {createClerkSyncFunction} from 'sanity-plugin-clerk/proxy'
 *
 * export const handler = documentEventHandler(
 *   createClerkSyncFunction({clerkSecretKey: process.env.CLERK_SECRET_KEY!}),
 * )
 * ```
 */
export function createClerkSyncFunction(
  options: ClerkSyncFunctionOptions,
): (input: DocumentFunctionInput) => Promise<void> {
  const engines = new Map<string, SyncEngine>()

  // The same validation as the proxy, with placeholders for what the Function's context supplies
  // (the placeholder token is never a secret worth redacting: the context's real one is, below).
  const validated = resolveClerkProxyOptions({
    clerkSecretKey: options.clerkSecretKey,
    ...(options.clerkApiUrl ? {clerkApiUrl: options.clerkApiUrl} : {}),
    sanity: {projectId: 'placeholder', dataset: 'placeholder', token: 'placeholder'},
    allowedOrigins: [],
    ...(options.rules ? {rules: options.rules} : {}),
    ...(options.logger ? {logger: options.logger} : {}),
    ...(options.store ? {store: options.store} : {}),
  })
  // The secrets every line and error is redacted of: the Clerk key and each token a context
  // brought (read at redaction time, so tokens seen later are covered too).
  const secrets = [validated.clerkSecretKey]
  const logger = createRedactingLogger(validated.logger, secrets)
  const clerk = clerkGatewayFor(validated)

  // One engine per project/dataset/host, reused while the Function instance stays warm.
  const engineFor = (clientOptions: DocumentFunctionInput['context']['clientOptions']) => {
    const {projectId, dataset, token, apiHost = DEFAULT_SANITY_API_HOST} = clientOptions
    if (token && !secrets.includes(token)) secrets.push(token)
    // A rotated token gets its own engine rather than reusing a client built with the old one.
    const key = `${projectId}\n${dataset}\n${apiHost}\n${token}`
    let engine = engines.get(key)
    if (!engine) {
      engine = createSyncEngine({
        clerk,
        sanity: createSanityReadClient({
          projectId,
          dataset,
          token,
          clientOptions: {
            apiHost,
            useProjectHostname: defaultUseProjectHostname(apiHost),
            ...clientOptions,
          },
        }),
        rules: validated.rules,
        logger,
        store: validated.store,
        // A Function instance may be frozen between invocations: the proxy's sweep runs the
        // re-checks this one queues.
        convergence: options.convergence === false ? false : {timer: false, ...options.convergence},
      })
      engines.set(key, engine)
    }
    return engine
  }

  const run = async ({context, event}: DocumentFunctionInput) => {
    const change = parseDocumentEvent(event?.data)
    const engine = engineFor(context.clientOptions)
    const found = await subjectsOfDocumentEvent(change, engine, validated.rules)
    if (found.ignored !== undefined) {
      logger.info(`clerk-sync ${change.documentId}: ignored, ${found.ignored}`)
      return
    }
    const {subjects, revision} = found
    const results = await engine.syncSubjects(subjects, revision ? {revision} : {})
    logger.info(
      `clerk-sync ${change.documentId}: ${results.map((r) => `${r.subject} ${r.outcome}`).join(', ') || 'no subjects'}`,
    )
    const failed = results.filter((result) => result.outcome === 'failed')
    if (failed.length > 0) {
      throw new Error(
        `sanity-plugin-clerk: sync failed for ${failed.map((r) => `${r.subject} (${r.error?.code}: ${r.error?.message})`).join(', ')}`,
      )
    }
  }

  // What the invocation log shows relays Clerk's and Sanity's messages: redact it on the way out.
  return (input) => redactOutcome(run(input), secrets)
}
