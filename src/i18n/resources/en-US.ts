/**
 * Every user-facing string of the plugin, US English. Keys are `<area>.<what>`; values use
 * i18next interpolation (`{{name}}`) and plural suffixes (`_one`/`_other`). A test fails when a
 * key is missing from another locale or a component asks for a key that is not here.
 */
const resources = {
  /** The inspector's menu item and the Access tool's title. */
  'plugin.title': 'Clerk access',
} as const

export default resources

/** The keys of the plugin's namespace. */
export type ClerkLocaleResourceKeys = keyof typeof resources
