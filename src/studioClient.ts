import {useClient, type SanityClient} from 'sanity'

/**
 * The one API version the plugin uses with Sanity. From 2025-02-19 on, queries default to the
 * `published` perspective, so code that needs drafts says `perspective: 'raw'` explicitly.
 */
export const SANITY_API_VERSION = '2025-02-19'

/** The Studio's client, pinned to {@link SANITY_API_VERSION}. */
export function useStudioClient(): SanityClient {
  return useClient({apiVersion: SANITY_API_VERSION})
}
