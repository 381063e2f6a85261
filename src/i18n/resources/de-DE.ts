import type {ClerkLocaleResourceKeys} from './en-US'

/** Every user-facing string of the plugin, German. Same keys as `en-US`, checked by a test. */
const resources: Record<ClerkLocaleResourceKeys, string> = {
  'plugin.title': 'Clerk-Zugriff',

  'outcome.title.updated': 'Clerk aktualisiert',
  'outcome.title.unchanged': 'Keine Änderung in Clerk',
  'outcome.title.repaired': 'Clerk wieder abgeglichen',
  'outcome.gained': '{{name}} erhielt {{items, list}}',
  'outcome.lost': '{{name}} verlor {{items, list}}',
  'outcome.gained-and-lost': '{{name}} erhielt {{gained, list}} und verlor {{lost, list}}',
  'outcome.switched-plan': '{{name}} wechselte vom Plan {{from}} zu {{to}}',
  'outcome.switched-role': '{{name}} wechselte von der Rolle {{from}} zu {{to}}',
  'outcome.repaired':
    'Niemandes Zugriff hat sich geändert; Clerk war abgewichen und stimmt für {{names, list}} wieder.',
  'outcome.no-access-change': 'Niemandes Zugriff hat sich geändert.',
  'outcome.nobody': 'Kein Clerk-Benutzer und keine Organisation ist betroffen.',
  'outcome.session-note':
    'Angemeldete Benutzer sehen die Änderung, sobald ihr Sitzungstoken erneuert wird (etwa 60 s).',
}

export default resources
