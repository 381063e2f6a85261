/** `/v1/email_addresses…` routes: add an address to a user, read it, verify it or make it primary. */
import {validateBody} from './params'
import type {Router} from './router'
import type {CreateEmailAddressInput, UpdateEmailAddressInput} from './store'

const CREATE_FIELDS = {
  user_id: 'string',
  email_address: 'string',
  verified: 'boolean',
  primary: 'boolean',
  notify_primary_email_address_changed: 'boolean',
} as const

const UPDATE_FIELDS = {
  verified: 'boolean',
  primary: 'boolean',
  notify_primary_email_address_changed: 'boolean',
} as const

export function addEmailAddressRoutes(router: Router): Router {
  return router
    .add('POST', '/email_addresses', ({body, store}) => {
      const {notify_primary_email_address_changed: _notify, ...input} = validateBody<
        CreateEmailAddressInput & {notify_primary_email_address_changed?: boolean}
      >(body, CREATE_FIELDS, ['user_id', 'email_address'])
      return store.createEmailAddress({...input, strategy: 'admin'})
    })
    .add('GET', '/email_addresses/:emailAddressId', ({params, store}) =>
      store.getEmailAddress(params.emailAddressId as string),
    )
    .add('PATCH', '/email_addresses/:emailAddressId', ({params, body, store}) => {
      const {notify_primary_email_address_changed: _notify, ...changes} = validateBody<
        UpdateEmailAddressInput & {notify_primary_email_address_changed?: boolean}
      >(body, UPDATE_FIELDS)
      return store.updateEmailAddress(params.emailAddressId as string, changes)
    })
}
