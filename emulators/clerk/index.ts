/**
 * The Clerk Backend API emulator: a loopback stand-in the real `@clerk/backend` talks to.
 * The package's testing entry re-exports it with `Clerk`-prefixed names from `./public`.
 */
export {startClerkEmulator, type ClerkEmulator, type ClerkEmulatorOptions} from './server'
export {
  ClerkStore,
  type AddMembershipInput,
  type ClerkStoreOptions,
  type CreateOrganizationInput,
  type CreateUserInput,
  type UpdateOrganizationInput,
  type UpdateUserInput,
} from './store'
export {
  RESERVED_CLAIMS,
  SessionStore,
  type JwtTemplate,
  type SessionJson,
  type SessionTokenSettings,
} from './sessions'
export type {RsaPublicJwk, SigningKey} from './jwt'
export {SEED_PRESETS, seedStore, type SeedOption, type SeedSpec, type SeedSummary} from './seed'
export type {ActiveFault, Fault, FaultInjector, FaultRule} from './faults'
export type {LoggedRequest} from './request-log'
export {RATE_LIMIT_PRESETS, type RateLimitOption, type RateLimitRule} from './rate-limit'
export {
  DEFAULT_METADATA_LIMIT,
  deepMerge,
  type JsonObject,
  type JsonValue,
  type MetadataLimit,
  type MetadataUpdate,
} from './metadata'
export type {
  DeletedObjectJson,
  EmailAddressJson,
  OrganizationJson,
  OrganizationMembershipJson,
  PhoneNumberJson,
  PublicUserDataJson,
  TotalCountJson,
  UserJson,
} from './resources'
export {
  generateWebhookSecret,
  signSvix,
  SVIX_TIMINGS,
  type ClerkDeliveryAttempt,
  type ClerkWebhookEndpoint,
  type ClerkWebhookKnobs,
  type ClerkWebhookTimings,
} from './webhooks'
export type {ClerkEvent, ClerkEventType} from './events'
