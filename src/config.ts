import type {SubjectId} from './access/types'

/** A document type whose published documents can be granted by an entitlement (e.g. courses). */
export interface GrantableType {
  /** Sanity document type name, e.g. `course`. */
  type: string
  /** Field holding the slug written to Clerk (a `slug` field or a string), default `slug`. */
  slugField?: string
  /** Metadata key the granted slugs are written to, default `<type>Slugs`. */
  metadataKey?: string
}

/** Options of {@link clerkAccess}. */
export interface ClerkAccessConfig {
  /** Absolute URL of the deployed proxy, e.g. `https://example.com/api/clerk`. */
  proxyUrl: string
  /** Document types entitlements can grant. Default: `[{type: 'course'}]`. */
  grantableTypes?: GrantableType[]
  /** Add the plugin's own `course` type (for Studios without one). Default `false`. */
  includeCourseType?: boolean
  /** Document types that get the Clerk panel, besides entitlements. */
  panelTypes?: string[]
  /** Studio roles that see the Access tool. Default `['administrator']`. */
  toolRoles?: string[]
  /** Set `false` to leave the Access tool out. */
  tool?: boolean
}

export type ResolvedClerkAccessConfig = Required<Omit<ClerkAccessConfig, 'grantableTypes'>> & {
  grantableTypes: Required<GrantableType>[]
}

export type {SubjectId}
