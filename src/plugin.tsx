import {definePlugin, type Plugin} from 'sanity'

import {resolveConfig} from './resolveConfig'
import type {ClerkAccessConfig} from './config'

/**
 * The Studio plugin: entitlement schemas, Clerk pickers, publish-and-sync and the Clerk panel.
 *
 * @example
 * ```ts
 * plugins: [clerkAccess({proxyUrl: 'https://example.com/api/clerk'})]
 * ```
 */
export const clerkAccess: Plugin<ClerkAccessConfig> = definePlugin<ClerkAccessConfig>((config) => {
  resolveConfig(config)
  return {name: 'sanity-plugin-clerk'}
})
