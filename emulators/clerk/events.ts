/**
 * The events a Clerk instance sends to its webhook endpoints, with Clerk's payload shapes:
 * `data` is the resource as the Backend API returns it (a deleted object for deletions; the
 * email message for `email.created`).
 */
import type {
  DeletedObjectJson,
  EmailMessageJson,
  OrganizationJson,
  OrganizationMembershipJson,
  UserJson,
} from './resources'

export type ClerkEvent =
  | {type: 'user.created' | 'user.updated'; data: UserJson}
  | {type: 'user.deleted'; data: DeletedObjectJson}
  | {type: 'email.created'; data: EmailMessageJson}
  | {type: 'organization.created' | 'organization.updated'; data: OrganizationJson}
  | {type: 'organization.deleted'; data: DeletedObjectJson}
  | {
      type:
        | 'organizationMembership.created'
        | 'organizationMembership.updated'
        | 'organizationMembership.deleted'
      data: OrganizationMembershipJson
    }

export type ClerkEventType = ClerkEvent['type']

export type ClerkEventListener = (event: ClerkEvent) => void
