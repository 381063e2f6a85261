/** `/v1/invitations…` routes: create, list, revoke, as Clerk's Backend API has them. */
import {paramInvalid} from './errors'
import {readBoolean, readOrder, readPage, readString, validateBody} from './params'
import type {Router} from './router'
import type {CreateInvitationInput, InvitationSortKey} from './store'

const CREATE_INVITATION_FIELDS = {
  email_address: 'string',
  public_metadata: 'object',
  redirect_url: 'string',
  notify: 'boolean',
  ignore_existing: 'boolean',
  expires_in_days: 'integer',
  template_slug: 'string',
} as const

const STATUSES = ['pending', 'accepted', 'revoked', 'expired'] as const
const SORT_KEYS: readonly InvitationSortKey[] = ['created_at', 'email_address', 'expires_at']

export function addInvitationRoutes(router: Router): Router {
  return router
    .add('POST', '/invitations', ({body, store}) => {
      const input = validateBody<CreateInvitationInput>(body, CREATE_INVITATION_FIELDS, [
        'email_address',
      ])
      if (
        input.template_slug != null &&
        !['invitation', 'waitlist_invitation'].includes(input.template_slug)
      ) {
        throw paramInvalid(
          'template_slug',
          'template_slug must be invitation or waitlist_invitation.',
        )
      }
      return store.createInvitation(input)
    })
    .add('GET', '/invitations', ({query, store}) => {
      const status = readString(query, 'status')
      if (status !== undefined && !(STATUSES as readonly string[]).includes(status)) {
        throw paramInvalid('status', `status must be one of ${STATUSES.join(', ')}.`)
      }
      const queryText = readString(query, 'query')
      const {data, totalCount} = store.listInvitations(
        {
          ...(status !== undefined && {status: status as (typeof STATUSES)[number]}),
          ...(queryText !== undefined && {query: queryText}),
        },
        readOrder(query, SORT_KEYS, {key: 'created_at', descending: true}),
        readPage(query),
      )
      // The spec's list is a bare array; `paginated=true` (what the SDK sends) wraps it.
      return readBoolean(query, 'paginated') ? {data, total_count: totalCount} : data
    })
    .add('POST', '/invitations/:invitationId/revoke', ({params, store}) =>
      store.revokeInvitation(params.invitationId as string),
    )
}
