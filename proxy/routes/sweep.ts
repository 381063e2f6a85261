import {PROXY_ROUTES} from '../../core/contract'
import {notFound, ProxyHttpError} from '../http/errors'
import {jsonResponse} from '../http/responses'
import type {Route, RouteContext} from './types'

/** Compares in time independent of where the strings differ. */
function sameSecret(given: string, expected: string): boolean {
  const encoder = new TextEncoder()
  const [a, b] = [encoder.encode(given), encoder.encode(expected)]
  let difference = a.length ^ b.length
  for (let index = 0; index < b.length; index++) difference |= (a[index] ?? 0) ^ b[index]!
  return difference === 0
}

async function sweep({request, engine, options, logger}: RouteContext): Promise<Response> {
  const secret = options.cronSecret
  if (!secret) throw notFound('The sweep route is disabled: configure "cronSecret".')
  const header = request.headers.get('authorization') ?? ''
  const given = /^Bearer\s+(.+)$/i.exec(header.trim())?.[1] ?? ''
  if (!sameSecret(given, secret)) {
    throw new ProxyHttpError(
      401,
      'unauthorized',
      'Send the cron secret as "Authorization: Bearer <secret>".',
    )
  }
  const run = await engine.sweepValidity()
  const failed = [...run.results, ...run.rechecked].filter(({outcome}) => outcome === 'failed')
  logger.info(
    `sweep ${run.from} → ${run.to}: ${run.subjects.length} subjects at a validity boundary, ${run.rechecked.length} re-checked, ${failed.length} failed${run.skipped ? ` (${run.skipped})` : ''}`,
  )
  return jsonResponse(run)
}

/**
 * `GET`/`POST /sweep`, for a scheduler (Vercel Cron calls GET with `Authorization: Bearer
 * $CRON_SECRET`; a scheduled Sanity Function or any cron can POST): runs the validity sweep from
 * the stored cursor, then the due re-checks. Needs `cronSecret`, not an editor's token. Failed
 * subjects are queued for a re-check, so the answer is 200 with the results either way.
 */
export const sweepRoutes: Route[] = (['GET', 'POST'] as const).map((method) => ({
  method,
  path: PROXY_ROUTES.sweep,
  access: null,
  handle: sweep,
}))
