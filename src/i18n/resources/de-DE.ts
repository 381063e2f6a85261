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
  'history.in-clerk-since':
    'Spätestens seit {{time}} in Clerk · dort vorgefunden von der Synchronisierung mit Trace {{traceId}}',
  'history.in-clerk-since-no-trace': 'Spätestens seit {{time}} in Clerk',
  'history.reached-clerk-by': 'Spätestens {{time}} in Clerk angekommen',
  'history.not-in-clerk': 'Noch nicht in Clerk (oder Clerk ist seitdem abgewichen)',

  'panel.loading': 'Clerk wird nach {{subject}} gefragt…',
  'panel.missing':
    '{{subject}} existiert in Clerk nicht (gelöscht oder aus einer anderen Clerk-Instanz).',
  'panel.deleted-badge': 'In Clerk gelöscht',
  'panel.deleted-explanation':
    'Dieses Subjekt wurde in Clerk gelöscht; Berechtigungen, die es nennen, gewähren niemandem etwas. Löschen Sie sie hier oder räumen Sie alle über die verwaisten Berechtigungen im Access-Tool auf.',
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

  'picker.placeholder.user': 'Benutzer nach Name oder E-Mail suchen oder eine ID einfügen (user_…)',
  'picker.placeholder.organization':
    'Organisationen nach Name oder Slug suchen oder eine ID einfügen (org_…)',
  'picker.placeholder-paste.user': 'Clerk-Benutzer-ID einfügen (user_…)',
  'picker.placeholder-paste.organization': 'Clerk-Organisations-ID einfügen (org_…)',
  'picker.no-search.user':
    'Die Suche in Clerk erfordert eine Redakteursrolle, die Sie nicht haben. Das Einfügen einer Clerk-Benutzer-ID (user_…) funktioniert weiterhin.',
  'picker.no-search.organization':
    'Die Suche in Clerk erfordert eine Redakteursrolle, die Sie nicht haben. Das Einfügen einer Clerk-Organisations-ID (org_…) funktioniert weiterhin.',
  'picker.invalid-id.user':
    'Das ist keine gültige Clerk-Benutzer-ID: Sie beginnt mit "user_", gefolgt nur von Buchstaben und Ziffern.',
  'picker.invalid-id.organization':
    'Das ist keine gültige Clerk-Organisations-ID: Sie beginnt mit "org_", gefolgt nur von Buchstaben und Ziffern.',
  'picker.results.user': 'Clerk-Benutzer',
  'picker.results.organization': 'Clerk-Organisationen',
  'picker.use-id.user': 'Benutzer-ID {{id}} verwenden',
  'picker.use-id.organization': 'Organisations-ID {{id}} verwenden',
  'picker.grant-email': 'Per E-Mail an {{email}} vergeben',
  'picker.grant-email.note':
    'Noch kein Clerk-Konto: Der Zugriff gilt, sobald sich die Person mit dieser Adresse registriert und sie bestätigt.',
  'picker.search-unavailable': 'Suche nicht verfügbar: {{reason}}',
  'picker.paste-still.user':
    'Sie können weiterhin eine Clerk-Benutzer-ID (user_…) in das Feld einfügen.',
  'picker.paste-still.organization':
    'Sie können weiterhin eine Clerk-Organisations-ID (org_…) in das Feld einfügen.',
  'picker.loading.user': 'Clerk-Benutzer werden gesucht…',
  'picker.loading.organization': 'Clerk-Organisationen werden gesucht…',
  'picker.empty.user': 'Keine Clerk-Benutzer passen zu „{{query}}“.',
  'picker.empty.organization': 'Keine Clerk-Organisationen passen zu „{{query}}“.',
  'selected.checking': 'Clerk wird gefragt…',
  'selected.unavailable': 'Status nicht verfügbar ({{reason}}). Die ID bleibt erhalten.',
  'selected.found': 'In Clerk gefunden',
  'selected.clear': 'Entfernen',
  'selected.clear-label': '{{subject}} entfernen',
  'selected.replace': 'Ersetzen',
  'selected.replace-label':
    '{{subject}} ersetzen: eine andere Person wählen, die in einem Schritt übernimmt',
  'selected.replace-cancel': 'Behalten',
  'selected.replace-cancel-label': '{{subject}} behalten: Ersetzen abbrechen',
  'subject.banned': 'Gesperrt',
  'subject.locked': 'Blockiert',

  'email.placeholder': 'name@example.com: gilt, sobald ein Clerk-Benutzer sie bestätigt hat',
  'email.no-account': 'Noch kein Clerk-Konto',
  'email.account': 'Clerk-Konto vorhanden',
  'email.no-account.note':
    'Der Zugriff gilt, sobald sich jemand mit dieser Adresse registriert und sie bestätigt.',
  'email.remove': 'E-Mail-Adresse entfernen',
  'invitation.status.pending': 'Einladung ausstehend',
  'invitation.status.accepted': 'Einladung angenommen',
  'invitation.status.revoked': 'Einladung widerrufen',
  'invitation.status.expired': 'Einladung abgelaufen',
  'invitation.invite': 'Zur Registrierung einladen',
  'invitation.revoke': 'Widerrufen',
  'invitation.resend': 'Erneut senden',
  'invitation.invite-again': 'Erneut einladen',
  'invitation.note':
    'Clerk sendet per E-Mail einen Registrierungslink. Die Einladung selbst vergibt nichts: Diese Berechtigung tut es, sobald die Adresse bestätigt ist.',

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

  'tool.row.status-unavailable': 'Status nicht verfügbar',
  'tool.row.no-access': 'kein Zugriff',
  'tool.row.drift': 'Abweichung ({{count}})',
  'tool.row.in-sync': 'Abgeglichen',
  'tool.tab.users': 'Benutzer',
  'tool.tab.organizations': 'Organisationen',
  'tool.search.users.placeholder': 'Benutzer suchen',
  'tool.search.organizations.placeholder': 'Organisationen suchen',
  'tool.search.users.label': 'Clerk-Benutzer suchen',
  'tool.search.organizations.label': 'Clerk-Organisationen suchen',
  'tool.empty.users': 'Keine Benutzer gefunden.',
  'tool.empty.organizations': 'Keine Organisationen gefunden.',
  'tool.page.previous': 'Zurück',
  'tool.page.next': 'Weiter',
  'tool.page.range': '{{first}}–{{last}}',
  'tool.progress.users-checked': '{{scanned}} Benutzer geprüft',
  'tool.progress.users-checked-of': '{{scanned}} von {{total}} Benutzern geprüft',
  'tool.progress.organizations-checked': '{{scanned}} Organisationen geprüft',
  'tool.progress.organizations-checked-of': '{{scanned}} von {{total}} Organisationen geprüft',
  'tool.progress.drifted': '{{count}} abweichend',
  'tool.progress.written': '{{count}} geschrieben',
  'tool.progress.failed': '{{count}} fehlgeschlagen',
  'tool.progress.starting': 'Wird gestartet…',
  'tool.progress.dry-run': 'Probelauf: {{progress}}',
  'tool.progress.applying': 'Wird angewendet: {{progress}}',
  'tool.progress.dry-run-label': 'Fortschritt des Probelaufs',
  'tool.progress.apply-label': 'Fortschritt des Abgleichs',
  'tool.me': 'Beim Clerk-Proxy angemeldet als {{name}} ({{roles}}): darf {{permissions}}.',
  'tool.me.no-role': 'keine Rolle',
  'tool.me.no-permission': 'nichts',
  'tool.reconcile.title': 'Alles abgleichen',
  'tool.reconcile.description':
    'Vergleicht jeden Clerk-Benutzer und jede Organisation mit dem, was veröffentlichte Berechtigungen vergeben. Starten Sie zuerst einen Probelauf, um die Unterschiede zu sehen, und wenden Sie sie dann an.',
  'tool.reconcile.not-permitted':
    'Ihre Studio-Rolle darf nicht abgleichen: Der Proxy erlaubt das standardmäßig nur Administratoren (seine Option für Rollenberechtigungen).',
  'tool.reconcile.dry-run': 'Probelauf',
  'tool.reconcile.apply': 'Anwenden',
  'tool.reconcile.apply-count_one': '{{count}} Änderung anwenden',
  'tool.reconcile.apply-count_other': '{{count}} Änderungen anwenden',
  'tool.reconcile.dry-run-first': 'Zuerst einen Probelauf starten',
  'tool.summary.dry-run': 'Probelauf beendet: {{scanned}} geprüft, {{drifted}} würden sich ändern.',
  'tool.summary.applied':
    'Fertig: {{scanned}} geprüft, {{written}} aktualisiert, {{failed}} fehlgeschlagen.',
  'tool.preview.hint':
    'Wählen Sie einen Benutzer oder eine Organisation, um den wirksamen Zugriff zu sehen, einschließlich dessen, was die Organisationen vergeben.',
  'tool.orphans.title': 'Verwaiste Berechtigungen',
  'tool.orphans.description':
    'Veröffentlichte Berechtigungen, deren Clerk-Benutzer oder -Organisation in Clerk gelöscht wurde. Sie gewähren niemandem etwas; löschen Sie sie, damit der Inhalt stimmt.',
  'tool.orphans.none':
    'Keine: Jede Berechtigung nennt einen Benutzer oder eine Organisation, die es in Clerk gibt.',
  'tool.orphans.user-deleted': 'Benutzer in Clerk gelöscht',
  'tool.orphans.organization-deleted': 'Organisation in Clerk gelöscht',
  'tool.orphans.delete': 'Berechtigung löschen',
  'tool.orphans.confirm-question':
    'Diese Berechtigung und ihren Entwurf löschen? Das lässt sich hier nicht rückgängig machen.',
  'tool.orphans.confirm': 'Löschen',
  'tool.orphans.cancel': 'Abbrechen',
  'tool.orphans.delete-failed': 'Löschen fehlgeschlagen: {{message}}',

  'error.unreachable.title': 'Clerk-Proxy nicht erreichbar',
  'error.unreachable.description':
    '{{message}}. Inhalte werden weiterhin gespeichert und veröffentlicht; Clerk holt beim nächsten Abgleich auf.',
  'error.unauthorized.title': 'Nicht beim Clerk-Proxy angemeldet',
  'error.unauthorized.cookie-login':
    'Dieses Studio meldet sich mit einem Cookie an, daher gibt es kein Sanity-Token, das an den Proxy gesendet werden kann. Melden Sie sich mit einem Token an (auth.loginMethod: "token"), um die Clerk-Funktionen zu nutzen.',
  'error.forbidden.title': 'Nicht erlaubt',
  'error.rate-limited.title': 'Zu viele Anfragen',
  'error.rate-limited.retry-after': '{{message}} Versuchen Sie es in {{seconds}} s erneut.',
  'error.clerk.title': 'Clerk antwortet nicht',
  'error.other.title': 'Fehler des Clerk-Proxys ({{status}})',
  'error.unexpected.title': 'Unerwarteter Fehler',

  'action.publish.waiting.label': 'Dokument wird validiert…',
  'action.publish.waiting.title':
    'Vor dem Veröffentlichen wird auf die Validierung des aktuellen Entwurfs gewartet',
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
  'value.empty-list': '(leere Liste)',

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
