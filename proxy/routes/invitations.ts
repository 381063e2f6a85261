/**
 * Clerk invitations for email-addressed entitlements (`invite` permission): create, list one
 * address's, revoke, resend. The invitation carries NO access (nothing in its metadata): the
 * entitlement is the truth, and it reaches the invitee when they verify the address.
 */
import {normalizeEmail} from '../../core/access'
import {
  PROXY_ROUTES,
  type InvitationListResponse,
  type InvitationSummary,
} from '../../core/contract'
import {ClerkGatewayError} from '../clerk'
import {isJsonObject, readJsonBody} from '../http/body'
import {badRequest, ProxyHttpError, unprocessable} from '../http/errors'
import {jsonResponse} from '../http/responses'
import type {ProxyEngine} from './engine'
import type {Route} from './types'

const INVITE_BODY_LIMIT_BYTES = 4 * 1024
const INVITATION_ID = /^inv_[A-Za-z0-9]{1,64}$/

function emailFrom(value: unknown): string {
  const email = normalizeEmail(value)
  if (email === null) throw unprocessable('invalid_email', 'That is not an email address.')
  return email
}

/** Clerk's refusals of invitations, in words an editor can act on. */
async function plainly<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (error) {
    if (!(error instanceof ClerkGatewayError)) throw error
    const codes = error.clerkCodes
    if (codes.includes('duplicate_record')) {
      throw new ProxyHttpError(
        409,
        'invitation_pending',
        `${what} already has a pending invitation: resend it instead.`,
      )
    }
    if (codes.includes('form_identifier_exists')) {
      throw new ProxyHttpError(
        409,
        'already_signed_up',
        `${what} already has a Clerk account: the entitlement reaches it once the address is verified.`,
      )
    }
    if (codes.includes('revoke_invitation_failed')) {
      throw new ProxyHttpError(409, 'not_pending', 'Only a pending invitation can be revoked.')
    }
    if (error.status === 429) {
      const wait = error.retryAfter ? ` in ${error.retryAfter} seconds` : ' shortly'
      throw new ProxyHttpError(
        429,
        'clerk_rate_limited',
        `Clerk is limiting invitations right now; try again${wait}.`,
        error.retryAfter ? {retryAfter: error.retryAfter} : {},
      )
    }
    throw error
  }
}

function invitationIdOf(params: Record<string, string>): string {
  const id = params.id ?? ''
  if (!INVITATION_ID.test(id)) {
    throw badRequest('invalid_id', `${JSON.stringify(id.slice(0, 80))} is not an invitation id.`)
  }
  return id
}

async function findInvitation(engine: ProxyEngine, id: string, email: string) {
  const found = (await engine.invitationsOf(email)).find((invitation) => invitation.id === id)
  if (!found) throw new ProxyHttpError(404, 'not_found', 'No such invitation for that address.')
  return found
}

/** `POST /invitations` `{email}`: Clerk emails the address a link to sign up. */
export const createInvitationRoute: Route = {
  method: 'POST',
  path: PROXY_ROUTES.invitations,
  access: 'invite',
  async handle({request, engine}) {
    const body = await readJsonBody(request, INVITE_BODY_LIMIT_BYTES)
    if (!isJsonObject(body)) throw badRequest('invalid_request', 'The body must be a JSON object.')
    const email = emailFrom(body.email)
    const invitation = await plainly(email, engine.invite(email))
    return jsonResponse(invitation satisfies InvitationSummary, {status: 201})
  },
}

/** `GET /invitations?email=…`: that address's invitations, newest first. */
export const listInvitationsRoute: Route = {
  method: 'GET',
  path: PROXY_ROUTES.invitations,
  access: 'invite',
  async handle({request, engine}) {
    const email = emailFrom(new URL(request.url).searchParams.get('email'))
    const data = await plainly(email, engine.invitationsOf(email))
    return jsonResponse({data} satisfies InvitationListResponse)
  },
}

/** `POST /invitations/:id/revoke`: the link stops working (signing up normally still does). */
export const revokeInvitationRoute: Route = {
  method: 'POST',
  path: PROXY_ROUTES.invitationRevoke(':id'),
  access: 'invite',
  async handle({params, engine}) {
    const id = invitationIdOf(params)
    return jsonResponse(await plainly('The invitation', engine.revokeInvitation(id)))
  },
}

/**
 * `POST /invitations/:id/resend` `{email}`: Clerk has no resend, so a pending invitation is
 * revoked and a new one sent; an expired or revoked one is simply replaced.
 */
export const resendInvitationRoute: Route = {
  method: 'POST',
  path: PROXY_ROUTES.invitationResend(':id'),
  access: 'invite',
  async handle({request, params, engine}) {
    const id = invitationIdOf(params)
    const body = await readJsonBody(request, INVITE_BODY_LIMIT_BYTES)
    if (!isJsonObject(body)) throw badRequest('invalid_request', 'The body must be a JSON object.')
    const email = emailFrom(body.email)
    const current = await findInvitation(engine, id, email)
    if (current.status === 'accepted') {
      throw new ProxyHttpError(
        409,
        'already_accepted',
        `${email} has already accepted: nothing to resend.`,
      )
    }
    if (current.status === 'pending') await plainly(email, engine.revokeInvitation(id))
    const invitation = await plainly(email, engine.invite(email))
    return jsonResponse(invitation satisfies InvitationSummary, {status: 201})
  },
}

export const invitationRoutes: Route[] = [
  createInvitationRoute,
  listInvitationsRoute,
  revokeInvitationRoute,
  resendInvitationRoute,
]
