import {defineType} from 'sanity'

import {ClerkOrganizationIdInput, ClerkUserIdInput} from '../components/ClerkSubjectInput'
import {validateOrganizationId, validateUserId} from './entitlementValidation'
import {CLERK_TYPES} from './names'

/** `clerkUserId`: a Clerk user id string (`user_…`) with a search-as-you-type picker. */
export const clerkUserIdType = defineType({
  name: CLERK_TYPES.userId,
  title: 'Clerk user',
  type: 'string',
  components: {input: ClerkUserIdInput},
  validation: (rule) => rule.custom(validateUserId),
})

/** `clerkOrganizationId`: a Clerk organization id string (`org_…`) with a picker. */
export const clerkOrganizationIdType = defineType({
  name: CLERK_TYPES.organizationId,
  title: 'Clerk organization',
  type: 'string',
  components: {input: ClerkOrganizationIdInput},
  validation: (rule) => rule.custom(validateOrganizationId),
})
