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

  'history.loading': 'Verlauf des Content Lake wird gelesen…',
  'history.error': 'Der Verlauf des Content Lake konnte nicht gelesen werden: {{message}}',
  'history.empty':
    'Für die Berechtigungen dieses Subjekts ist keine Vergabe und kein Entzug verzeichnet.',
  'history.granted': '{{author}} vergab {{items, list}}',
  'history.revoked': '{{author}} entzog {{items, list}}',
  'history.switched-plan': '{{author}} änderte den Plan von {{from}} zu {{to}}',
  'history.switched-role': '{{author}} änderte die Rolle von {{from}} zu {{to}}',
  'history.when-through': '{{time}} · über „{{entitlement}}“',
  'history.reached-clerk': 'In Clerk angekommen {{time}} · Trace {{traceId}}',
  'history.reached-clerk-no-trace': 'In Clerk angekommen {{time}}',
  'history.in-clerk': 'In Clerk (in einer späteren Synchronisierung enthalten)',
  'history.not-in-clerk': 'Noch nicht in Clerk (oder Clerk ist seitdem abgewichen)',

  'panel.loading': 'Clerk wird nach {{subject}} gefragt…',
  'panel.missing':
    '{{subject}} existiert in Clerk nicht (gelöscht oder aus einer anderen Clerk-Instanz).',
  'panel.deleted-badge': 'In Clerk gelöscht',
  'panel.nothing-granted': 'Nichts vergeben.',
  'panel.trace-id': 'Clerk-Trace-ID: {{traceId}}',
  'panel.no-sync': 'Ihre Rolle darf ansehen, aber nicht synchronisieren.',
  'panel.resync.running': 'Wird synchronisiert…',
  'panel.resync.now': 'Jetzt synchronisieren',
  'panel.resync.anyway': 'Trotzdem synchronisieren',
  'panel.drift.section': 'Abweichungen zwischen Sanity und Clerk',
  'panel.drift.title_one': 'Clerk weicht bei {{count}} Schlüssel von Sanity ab',
  'panel.drift.title_other': 'Clerk weicht bei {{count}} Schlüsseln von Sanity ab',
  'panel.drift.clerk-has': 'Clerk hat: {{value}}',
  'panel.drift.sanity-says': 'Sanity sagt: {{value}}',
  'panel.drift.none': 'Synchron: Clerk enthält, was die veröffentlichten Berechtigungen vergeben.',
  'panel.effective.section': 'Wirksamer Zugriff (aus veröffentlichten Berechtigungen)',
  'panel.source.inactive': 'Derzeit nicht aktiv',
  'panel.source.plan': 'Plan {{plan}}',
  'panel.source.role': 'Rolle {{role}}',
  'panel.source.from': 'ab {{time}}',
  'panel.source.until': 'bis {{time}}',
  'panel.source.nothing': 'vergibt nichts',
  'panel.organizations.section': 'Über Organisationen',
  'panel.history.section': 'Zugriffsverlauf',
  'panel.clerk.section': 'Was Clerk jetzt enthält',
  'panel.clerk.private': 'Private Metadaten (nur für Ihre Rolle sichtbar)',
  'panel.size.session': 'Sitzungs-Claims: {{used}} von {{budget}} Budget',
  'panel.size.session-over':
    'Sitzungs-Claims: {{used}} von {{budget}} Budget (überschritten: Anmelde-Cookies können brechen)',
  'panel.size.progress-label': 'Genutztes Sitzungs-Claim-Budget',
  'panel.size.all': 'Alle Metadaten: {{used}} von Clerks Grenze {{limit}}',
  'panel.size.all-over':
    'Alle Metadaten: {{used}} von Clerks Grenze {{limit}} (überschritten: Synchronisierungen werden abgelehnt)',
  'panel.last-sync': 'Letzte Synchronisierung {{time}}',
  'panel.last-sync.trace': 'Letzte Synchronisierung {{time}} · Trace {{traceId}}',
  'panel.last-sync.never': 'Nie vom Plugin synchronisiert',
  'panel.member-site.open': 'Mitgliederseite als diese Person öffnen',

  'picker.status.searching': 'Clerk wird durchsucht…',
  'picker.status.results_one':
    '{{count}} Ergebnis. Mit Pfeil hoch und runter wählen, Eingabe übernimmt.',
  'picker.status.results_other':
    '{{count}} Ergebnisse. Mit Pfeil hoch und runter wählen, Eingabe übernimmt.',
  'picker.status.none': 'Keine Ergebnisse.',

  'report.filter.placeholder': 'Nach Name, E-Mail oder ID filtern',
  'report.filter.label': 'Bericht filtern',
  'report.csv': 'Als CSV exportieren',
  'report.groups.label': 'Nur eine Art von Änderung zeigen',
  'report.group.failed': 'Fehlgeschlagen ({{count}})',
  'report.group.gained': 'Erhält {{key}} {{to}} ({{count}})',
  'report.group.lost': 'Verliert {{key}} {{from}} ({{count}})',
  'report.group.switched': '{{key}} {{from}} → {{to}} ({{count}})',
  'report.change.gained': '+ {{key}} {{value}}',
  'report.change.lost': '− {{key}} {{value}}',
  'report.change.switched': '{{key}}: {{from}} → {{to}}',
  'report.status.failed': 'Fehlgeschlagen',
  'report.status.applied': 'Übernommen',
  'report.status.would-change': 'Würde sich ändern',
  'report.shown': '{{shown}} von {{count}} angezeigt',

  'action.sync.label': 'Jetzt mit Clerk synchronisieren',
  'action.sync.running': 'Wird mit Clerk synchronisiert…',
  'action.sync.title':
    'Den Clerk-Zugriff dieses Dokuments aus veröffentlichten Inhalten neu berechnen',
  'action.sync.unpublished': 'Erst veröffentlichen: nur veröffentlichte Dokumente vergeben Zugriff',
  'badge.syncing': 'Clerk: wird synchronisiert…',
  'badge.out-of-sync': 'Clerk: nicht synchron',
  'failure.title': 'Clerk nicht aktualisiert: {{reason}}',
  'failure.refused': 'Clerk hat einen Teil der Synchronisierung abgelehnt',
  'failure.saved-note':
    'Das Dokument ist gespeichert. Es bleibt als nicht synchron markiert, bis ein erneuter Versuch oder der Webhook gelingt.',
  'failure.retry': 'Erneut versuchen',
  'result.failed': '{{subject}}: fehlgeschlagen, {{reason}}',
  'result.no-reason': 'kein Grund angegeben',
  'result.unchanged': '{{subject}}: bereits aktuell',
  'result.updated': '{{subject}}: {{changes}}',
  'result.removed': 'entfernt',
  'result.none': 'keine',

  'document.out-of-sync': 'Clerk: nicht synchron ({{reason}})',
  'document.retry': 'Synchronisierung wiederholen',
  'document.synced': 'Aus diesem Studio mit Clerk synchronisiert um {{time}}',
  'document.waiting': 'Warten, bis der Content Lake die Änderung veröffentlicht…',
  'document.reading': 'Dokument wird gelesen…',
  'document.read-error': 'Das Dokument konnte nicht gelesen werden: {{message}}',
  'document.subject-change':
    'Die veröffentlichte Version vergibt an {{published}}; die Veröffentlichung des Entwurfs verschiebt diesen Zugriff zu {{draft}} und entzieht ihn {{published}}.',
  'document.no-subject':
    'Noch kein Clerk-Benutzer und keine Organisation. Wählen Sie eine aus und veröffentlichen Sie: nur veröffentlichte Berechtigungen vergeben Zugriff.',
}

export default resources
