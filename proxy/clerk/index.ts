export {
  CLERK_MAX_PAGE_SIZE,
  createClerkGateway,
  type ClerkGateway,
  type ClerkGatewayOptions,
  type ClerkMembershipRecord,
  type ClerkPage,
  type ListParams,
} from './gateway'
export {ClerkGatewayError, type ClerkGatewayErrorCode} from './errors'
export {
  createRateBudget,
  createSharedRateBudget,
  createSharedSubjectWriteBudgets,
  createSubjectWriteBudgets,
  defaultRateBudgetFor,
  USER_WRITE_LIMIT,
  type RateBudget,
  type RateBudgetOptions,
  type SubjectWriteBudgets,
} from './rateBudget'
export {DEFAULT_RETRY_POLICY, type RetryPolicy} from './retry'
export type {ClerkOrganizationRecord, ClerkSubjectRecord, ClerkUserRecord} from './records'
