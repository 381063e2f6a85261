import type {ClerkLocaleResourceKeys} from './en-US'

/** Every user-facing string of the plugin, German. Same keys as `en-US`, checked by a test. */
const resources: Record<ClerkLocaleResourceKeys, string> = {
  'plugin.title': 'Clerk-Zugriff',
}

export default resources
