/** Schema type names the plugin defines. Everything it adds is gated on these. */
export const CLERK_TYPES = {
  entitlement: 'clerkEntitlement',
  plan: 'clerkPlan',
  role: 'clerkRole',
  course: 'course',
  userId: 'clerkUserId',
  organizationId: 'clerkOrganizationId',
} as const

/** Field names of `clerkEntitlement` the Studio code reads. */
export const ENTITLEMENT_FIELDS = {
  userId: 'clerkUserId',
  organizationId: 'clerkOrganizationId',
  email: 'clerkEmail',
  snapshot: 'subjectSnapshot',
} as const
