/**
 * Every user-facing string of the plugin, US English. Keys are `<area>.<what>`; values use
 * i18next interpolation (`{{name}}`) and plural suffixes (`_one`/`_other`). A test fails when a
 * key is missing from another locale or a component asks for a key that is not here.
 */
const resources = {
  /** The inspector's menu item and the Access tool's title. */
  'plugin.title': 'Clerk access',

  /** Sync outcome toast: what changed for whom. */
  'outcome.title.updated': 'Clerk updated',
  'outcome.title.unchanged': 'No change in Clerk',
  'outcome.title.repaired': 'Clerk brought back in line',
  'outcome.gained': '{{name}} gained {{items, list}}',
  'outcome.lost': '{{name}} lost {{items, list}}',
  'outcome.gained-and-lost': '{{name}} gained {{gained, list}} and lost {{lost, list}}',
  'outcome.switched-plan': '{{name}} moved from the {{from}} plan to {{to}}',
  'outcome.switched-role': '{{name}} moved from the {{from}} role to {{to}}',
  'outcome.repaired':
    'Nobody’s access changed; Clerk had drifted and now matches again for {{names, list}}.',
  'outcome.no-access-change': 'Nobody’s access changed.',
  'outcome.nobody': 'No Clerk user or organization is affected.',
  'outcome.session-note':
    'Signed-in users see the change after their session token refreshes (about 60 s).',
} as const

export default resources

/** The keys of the plugin's namespace. */
export type ClerkLocaleResourceKeys = keyof typeof resources
