import type {SchemaTypeDefinition} from 'sanity'

import type {ResolvedClerkAccessConfig} from '../config'
import {courseType} from './courseType'
import {entitlementType} from './entitlementType'
import {clerkPlanType, clerkRoleType} from './rankedKeyTypes'
import {clerkOrganizationIdType, clerkUserIdType} from './subjectIdTypes'

/** Every schema type the plugin adds for this configuration. */
export function clerkSchemaTypes(config: ResolvedClerkAccessConfig): SchemaTypeDefinition[] {
  return [
    clerkUserIdType,
    clerkOrganizationIdType,
    entitlementType(config),
    clerkPlanType,
    clerkRoleType,
    ...(config.includeCourseType ? [courseType] : []),
  ]
}

export {CLERK_TYPES} from './names'
