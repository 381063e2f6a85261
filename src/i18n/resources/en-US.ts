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

  /** Access history in the Clerk panel. */
  'history.loading': 'Reading the Content Lake’s history…',
  'history.error': 'The Content Lake’s history could not be read: {{message}}',
  'history.empty': 'No grant or revoke is recorded for this subject’s entitlements.',
  'history.granted': '{{author}} granted {{items, list}}',
  'history.revoked': '{{author}} revoked {{items, list}}',
  'history.switched-plan': '{{author}} changed the plan from {{from}} to {{to}}',
  'history.switched-role': '{{author}} changed the role from {{from}} to {{to}}',
  'history.when-through': '{{time}} · through “{{entitlement}}”',
  'history.in-clerk-since':
    'In Clerk since {{time}} at the latest · found there by the sync with trace {{traceId}}',
  'history.in-clerk-since-no-trace': 'In Clerk since {{time}} at the latest',
  'history.reached-clerk-by': 'Reached Clerk by {{time}} at the latest',
  'history.not-in-clerk': 'Not in Clerk yet (or Clerk has drifted since)',

  /** The Clerk panel for one subject. */
  'panel.loading': 'Asking Clerk about {{subject}}…',
  'panel.missing': '{{subject}} does not exist in Clerk (deleted, or from another Clerk instance).',
  'panel.deleted-badge': 'Deleted in Clerk',
  'panel.deleted-explanation':
    'This subject was deleted in Clerk, so entitlements naming it grant nobody anything. Delete them here, or clean up all of them from the Access tool’s orphaned entitlements.',
  'panel.nothing-granted': 'Nothing granted.',
  'panel.trace-id': 'Clerk trace id: {{traceId}}',
  'panel.no-sync': 'Your role can view but not sync.',
  'panel.resync.running': 'Resyncing…',
  'panel.resync.now': 'Resync now',
  'panel.resync.anyway': 'Resync anyway',
  'panel.drift.section': 'Drift between Sanity and Clerk',
  'panel.drift.title_one': 'Clerk differs from Sanity on {{count}} key',
  'panel.drift.title_other': 'Clerk differs from Sanity on {{count}} keys',
  'panel.drift.clerk-has': 'Clerk has: {{value}}',
  'panel.drift.sanity-says': 'Sanity says: {{value}}',
  'panel.drift.none': 'In sync: Clerk holds what the published entitlements grant.',
  'panel.effective.section': 'Effective access (from published entitlements)',
  'panel.source.inactive': 'Not active now',
  'panel.source.plan': 'plan {{plan}}',
  'panel.source.role': 'role {{role}}',
  'panel.source.from': 'from {{time}}',
  'panel.source.until': 'until {{time}}',
  'panel.source.nothing': 'grants nothing',
  'panel.organizations.section': 'Through organizations',
  'panel.history.section': 'Access history',
  'panel.clerk.section': 'What Clerk holds now',
  'panel.clerk.private': 'Private metadata (visible to your role only)',
  'panel.size.session': 'Session claims: {{used}} of the {{budget}} budget',
  'panel.size.session-over':
    'Session claims: {{used}} of the {{budget}} budget (over budget: sign-in cookies may break)',
  'panel.size.progress-label': 'Session-claim budget used',
  'panel.size.all': "All metadata: {{used}} of Clerk's {{limit}} limit",
  'panel.size.all-over':
    "All metadata: {{used}} of Clerk's {{limit}} limit (over the limit: syncs are refused)",
  'panel.last-sync': 'Last sync {{time}}',
  'panel.last-sync.trace': 'Last sync {{time}} · trace {{traceId}}',
  'panel.last-sync.never': 'Never synced by the plugin',
  'panel.member-site.open': 'Open the member site as this user',

  /** The Clerk user/organization picker, read out to screen readers. */
  'picker.status.searching': 'Searching Clerk…',
  'picker.status.results_one':
    '{{count}} result. Use the up and down arrows to choose, Enter to pick.',
  'picker.status.results_other':
    '{{count}} results. Use the up and down arrows to choose, Enter to pick.',
  'picker.status.none': 'No results.',

  /** The Clerk user/organization picker and the chosen subject's card. */
  'picker.placeholder.user': 'Search users by name or email, or paste an id (user_…)',
  'picker.placeholder.organization': 'Search organizations by name or slug, or paste an id (org_…)',
  'picker.placeholder-paste.user': 'Paste a Clerk user id (user_…)',
  'picker.placeholder-paste.organization': 'Paste a Clerk organization id (org_…)',
  'picker.no-search.user':
    'Searching Clerk needs an editor role, which yours is not. Pasting a Clerk user id (user_…) still works.',
  'picker.no-search.organization':
    'Searching Clerk needs an editor role, which yours is not. Pasting a Clerk organization id (org_…) still works.',
  'picker.invalid-id.user':
    'This is not a valid Clerk user id: it starts with "user_" followed by letters and digits only.',
  'picker.invalid-id.organization':
    'This is not a valid Clerk organization id: it starts with "org_" followed by letters and digits only.',
  'picker.results.user': 'Clerk users',
  'picker.results.organization': 'Clerk organizations',
  'picker.use-id.user': 'Use user id {{id}}',
  'picker.use-id.organization': 'Use organization id {{id}}',
  'picker.grant-email': 'Grant by email to {{email}}',
  'picker.grant-email.note':
    'No Clerk account yet: the access applies once they sign up with this address and verify it.',
  'picker.search-unavailable': 'Search unavailable: {{reason}}',
  'picker.paste-still.user': 'You can still paste a Clerk user id (user_…) into the field.',
  'picker.paste-still.organization':
    'You can still paste a Clerk organization id (org_…) into the field.',
  'picker.loading.user': 'Searching Clerk users…',
  'picker.loading.organization': 'Searching Clerk organizations…',
  'picker.empty.user': 'No Clerk users match “{{query}}”.',
  'picker.empty.organization': 'No Clerk organizations match “{{query}}”.',
  'selected.checking': 'Checking Clerk…',
  'selected.unavailable': 'Status unavailable ({{reason}}). The id is kept.',
  'selected.found': 'Found in Clerk',
  'selected.clear': 'Clear',
  'selected.clear-label': 'Clear {{subject}}',
  'selected.replace': 'Replace',
  'selected.replace-label': 'Replace {{subject}}: pick another, who takes over in one step',
  'selected.replace-cancel': 'Keep',
  'selected.replace-cancel-label': 'Keep {{subject}}: stop replacing',
  'subject.banned': 'Banned',
  'subject.locked': 'Locked',

  /** An email-addressed grant and its invitation to sign up. */
  'email.placeholder': 'name@example.com: grants once a Clerk user has verified it',
  'email.no-account': 'No Clerk account yet',
  'email.account': 'Clerk account exists',
  'email.no-account.note':
    'The access applies as soon as someone signs up with this address and verifies it.',
  'email.remove': 'Remove the email address',
  'invitation.status.pending': 'Invitation pending',
  'invitation.status.accepted': 'Invitation accepted',
  'invitation.status.revoked': 'Invitation revoked',
  'invitation.status.expired': 'Invitation expired',
  'invitation.invite': 'Invite to sign up',
  'invitation.revoke': 'Revoke',
  'invitation.resend': 'Resend',
  'invitation.invite-again': 'Invite again',
  'invitation.note':
    'Clerk emails a sign-up link. The invitation grants nothing itself: this entitlement does, once the address is verified.',

  /** The Access tool's reconcile report. */
  'report.filter.placeholder': 'Filter by name, email or id',
  'report.filter.label': 'Filter the report',
  'report.csv': 'Export CSV',
  'report.groups.label': 'Show only one kind of change',
  'report.group.failed': 'Failed ({{count}})',
  'report.group.gained': 'Gains {{key}} {{to}} ({{count}})',
  'report.group.lost': 'Loses {{key}} {{from}} ({{count}})',
  'report.group.switched': '{{key}} {{from}} → {{to}} ({{count}})',
  'report.change.gained': '+ {{key}} {{value}}',
  'report.change.lost': '− {{key}} {{value}}',
  'report.change.switched': '{{key}}: {{from}} → {{to}}',
  'report.status.failed': 'Failed',
  'report.status.applied': 'Applied',
  'report.status.would-change': 'Would change',
  'report.shown': 'Showing {{shown}} of {{count}}',

  /** The Access tool: subject list, reconcile and preview. */
  'tool.row.status-unavailable': 'Status unavailable',
  'tool.row.no-access': 'no access',
  'tool.row.drift': 'Drift ({{count}})',
  'tool.row.in-sync': 'In sync',
  'tool.tab.users': 'Users',
  'tool.tab.organizations': 'Organizations',
  'tool.search.users.placeholder': 'Search users',
  'tool.search.organizations.placeholder': 'Search organizations',
  'tool.search.users.label': 'Search Clerk users',
  'tool.search.organizations.label': 'Search Clerk organizations',
  'tool.empty.users': 'No users found.',
  'tool.empty.organizations': 'No organizations found.',
  'tool.page.previous': 'Previous',
  'tool.page.next': 'Next',
  'tool.page.range': '{{first}}–{{last}}',
  'tool.progress.users-checked': '{{scanned}} users checked',
  'tool.progress.users-checked-of': '{{scanned}} of {{total}} users checked',
  'tool.progress.organizations-checked': '{{scanned}} organizations checked',
  'tool.progress.organizations-checked-of': '{{scanned}} of {{total}} organizations checked',
  'tool.progress.drifted': '{{count}} drifted',
  'tool.progress.written': '{{count}} written',
  'tool.progress.failed': '{{count}} failed',
  'tool.progress.starting': 'Starting…',
  'tool.progress.dry-run': 'Dry run: {{progress}}',
  'tool.progress.applying': 'Applying: {{progress}}',
  'tool.progress.dry-run-label': 'Dry run progress',
  'tool.progress.apply-label': 'Reconcile progress',
  'tool.me': 'Signed in to the Clerk proxy as {{name}} ({{roles}}): may {{permissions}}.',
  'tool.me.no-role': 'no role',
  'tool.me.no-permission': 'do nothing',
  'tool.reconcile.title': 'Reconcile all',
  'tool.reconcile.description':
    'Compares every Clerk user and organization with what published entitlements grant. Run a dry run first to see the differences, then apply them.',
  'tool.reconcile.not-permitted':
    'Your Studio role may not reconcile: the proxy grants it to administrators by default (its role permissions option).',
  'tool.reconcile.dry-run': 'Dry run',
  'tool.reconcile.apply': 'Apply',
  'tool.reconcile.apply-count_one': 'Apply {{count}} change',
  'tool.reconcile.apply-count_other': 'Apply {{count}} changes',
  'tool.reconcile.dry-run-first': 'Run a dry run first',
  'tool.summary.dry-run': 'Dry run finished: {{scanned}} checked, {{drifted}} would change.',
  'tool.summary.applied': 'Done: {{scanned}} checked, {{written}} updated, {{failed}} failed.',
  'tool.preview.hint':
    'Choose a user or organization to preview their effective access, including what their organizations grant.',
  'tool.orphans.title': 'Orphaned entitlements',
  'tool.orphans.description':
    'Published entitlements whose Clerk user or organization was deleted in Clerk. They grant nobody anything; delete them to keep the content true.',
  'tool.orphans.none': 'None: every entitlement names a user or organization that exists in Clerk.',
  'tool.orphans.user-deleted': 'User deleted in Clerk',
  'tool.orphans.organization-deleted': 'Organization deleted in Clerk',
  'tool.orphans.delete': 'Delete entitlement',
  'tool.orphans.confirm-question':
    'Delete this entitlement and its draft? This cannot be undone here.',
  'tool.orphans.confirm': 'Delete',
  'tool.orphans.cancel': 'Cancel',
  'tool.orphans.delete-failed': 'Could not delete: {{message}}',

  /** Proxy failures in words an editor can act on (the proxy's own reason follows as is). */
  'error.unreachable.title': 'Clerk proxy unreachable',
  'error.unreachable.description':
    '{{message}}. Content still saves and publishes; Clerk catches up on the next sync.',
  'error.unauthorized.title': 'Not signed in to the Clerk proxy',
  'error.unauthorized.cookie-login':
    'This Studio signs in with a cookie, so there is no Sanity token to send to the proxy. Sign in with a token (auth.loginMethod: "token") to use the Clerk features.',
  'error.forbidden.title': 'Not allowed',
  'error.rate-limited.title': 'Too many requests',
  'error.rate-limited.retry-after': '{{message}} Try again in {{seconds}} s.',
  'error.clerk.title': 'Clerk is not answering',
  'error.other.title': 'Clerk proxy error ({{status}})',
  'error.unexpected.title': 'Unexpected error',

  /** Document actions, badges and the sync toast's failures. */
  'action.publish.waiting.label': 'Validating document…',
  'action.publish.waiting.title': 'Waiting for validation of the current draft before publishing',
  'action.sync.label': 'Sync to Clerk now',
  'action.sync.running': 'Syncing to Clerk…',
  'action.sync.title': 'Recompute this document’s Clerk access from published content',
  'action.sync.unpublished': 'Publish first: only published documents grant access',
  'badge.syncing': 'Clerk: syncing…',
  'badge.out-of-sync': 'Clerk: out of sync',
  'failure.title': 'Clerk not updated: {{reason}}',
  'failure.refused': 'Clerk refused part of the sync',
  'failure.saved-note':
    'The document is saved. It stays marked out of sync until a retry or the webhook succeeds.',
  'failure.retry': 'Retry',
  'result.failed': '{{subject}}: failed, {{reason}}',
  'result.no-reason': 'no reason given',
  'result.unchanged': '{{subject}}: already up to date',
  'result.updated': '{{subject}}: {{changes}}',
  'result.removed': 'removed',
  'result.none': 'none',
  'value.empty-list': '(empty list)',

  /** The panel's document frame: sync status and subject choice. */
  'document.out-of-sync': 'Clerk: out of sync ({{reason}})',
  'document.retry': 'Retry sync',
  'document.synced': 'Synced to Clerk from this Studio at {{time}}',
  'document.waiting': 'Waiting for the Content Lake to publish the change…',
  'document.reading': 'Reading the document…',
  'document.read-error': 'Could not read the document: {{message}}',
  'document.subject-change':
    'The published version grants to {{published}}; publishing the draft moves this access to {{draft}} and revokes it from {{published}}.',
  'document.no-subject':
    'No Clerk user or organization yet. Choose one, then publish: only published entitlements grant access.',
} as const

export default resources

/** The keys of the plugin's namespace. */
export type ClerkLocaleResourceKeys = keyof typeof resources
