/**
 * The Clerk emulator as the package's `sanity-plugin-clerk/testing` entry exports it: every name
 * carries a `Clerk` prefix, because that entry also exports the Content Lake stand-in (which has
 * its own `FaultRule`, `FaultInjector`, …). Code inside this repository may import the shorter
 * names from `./index`.
 */
export {startClerkEmulator, type ClerkEmulator, type ClerkEmulatorOptions} from './server'
export {
  ClerkStore,
  type AddMembershipInput as ClerkAddMembershipInput,
  type ClerkStoreOptions,
  type CreateOrganizationInput as ClerkCreateOrganizationInput,
  type CreateUserInput as ClerkCreateUserInput,
  type UpdateOrganizationInput as ClerkUpdateOrganizationInput,
  type UpdateUserInput as ClerkUpdateUserInput,
} from './store'
export {
  SEED_PRESETS as CLERK_SEED_PRESETS,
  seedStore as seedClerkStore,
  type SeedOption as ClerkSeedOption,
  type SeedSpec as ClerkSeedSpec,
  type SeedSummary as ClerkSeedSummary,
} from './seed'
export type {
  JwtTemplate as ClerkJwtTemplate,
  SessionJson as ClerkSessionJson,
  SessionStore as ClerkSessionStore,
  SessionTokenSettings as ClerkSessionTokenSettings,
} from './sessions'
export type {
  ActiveFault as ClerkActiveFault,
  Fault as ClerkFault,
  FaultInjector as ClerkFaultInjector,
  FaultRule as ClerkFaultRule,
} from './faults'
export type {LoggedRequest as ClerkLoggedRequest} from './request-log'
export {
  RATE_LIMIT_PRESETS as CLERK_RATE_LIMIT_PRESETS,
  type RateLimitOption as ClerkRateLimitOption,
  type RateLimitRule as ClerkRateLimitRule,
} from './rate-limit'
export {
  DEFAULT_METADATA_LIMIT as CLERK_DEFAULT_METADATA_LIMIT,
  type JsonObject as ClerkJsonObject,
  type MetadataLimit as ClerkMetadataLimit,
  type MetadataUpdate as ClerkMetadataUpdate,
} from './metadata'
export type {
  DeletedObjectJson as ClerkDeletedObjectJson,
  EmailAddressJson as ClerkEmailAddressJson,
  OrganizationJson as ClerkOrganizationJson,
  OrganizationMembershipJson as ClerkOrganizationMembershipJson,
  PhoneNumberJson as ClerkPhoneNumberJson,
  PublicUserDataJson as ClerkPublicUserDataJson,
  TotalCountJson as ClerkTotalCountJson,
  UserJson as ClerkUserJson,
} from './resources'
