import {act, screen, waitFor} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type {
  DocumentActionComponent,
  DocumentActionProps,
  SanityClient,
  SanityDocument,
  ValidationMarker,
} from 'sanity'
import {beforeEach, describe, expect, it, vi} from 'vitest'

import type {SyncRequest} from '../../core/contract'
import {createFakeSanityClient} from '../test/fakeSanityClient'
import {renderHookWithClerk} from '../test/render'
import {validateSubjectChoice} from '../schema/entitlementValidation'
import {useClerkSyncAction, useClerkSyncBadge, withClerkSync} from './clerkActions'
import {syncStatusStore} from './syncStatusStore'

const sanity = vi.hoisted(() => ({
  fetch: vi.fn<(query: string, params: Record<string, unknown>) => Promise<unknown>>(),
  /** When set, the Studio client is this lake (GROQ evaluated); else `fetch` alone. */
  lake: null as SanityClient | null,
  roles: ['editor'] as string[],
  /** Sanity's validation status; when null, a clean verdict on the revision `actionProps` last gave. */
  validation: null as {
    isValidating: boolean
    validation: ValidationMarker[]
    revision?: string
  } | null,
  revisions: new Map<string, string>(),
}))

vi.mock('sanity', async (importOriginal) => ({
  ...(await importOriginal<typeof import('sanity')>()),
  useClient: () => sanity.lake ?? ({fetch: sanity.fetch} as unknown as SanityClient),
  useCurrentUser: () => ({
    id: 'p-editor',
    name: 'Edith',
    email: 'e@example.com',
    roles: sanity.roles.map((name) => ({name, title: name})),
  }),
  useValidationStatus: (id: string) =>
    sanity.validation ?? {isValidating: false, validation: [], revision: sanity.revisions.get(id)},
}))

function entitlement(id: string, rev: string, subject: string): SanityDocument {
  return {
    _id: id,
    _type: 'clerkEntitlement',
    _rev: rev,
    _createdAt: '',
    _updatedAt: '',
    clerkUserId: subject,
  }
}

function actionProps(
  id: string,
  published: SanityDocument | null,
  draft: SanityDocument | null,
): DocumentActionProps {
  const {_id: currentId, _rev: currentRev} = draft ?? published ?? {}
  if (currentId && currentRev) sanity.revisions.set(currentId, currentRev)
  return {
    id,
    type: 'clerkEntitlement',
    published,
    draft,
    version: null,
    liveEdit: false,
    ready: true,
  } as unknown as DocumentActionProps
}

function builtIn(key: 'publish' | 'unpublish' | 'delete', label: string) {
  const onHandle = vi.fn<() => void>()
  const hook: DocumentActionComponent = (props) => ({
    label,
    onHandle,
    disabled: !props.draft && key === 'publish',
  })
  hook.action = key
  return {hook, onHandle}
}

/** The Content Lake answers with these published revisions, one per poll. */
function lakeRevisions(...revs: Array<string | null>) {
  sanity.fetch.mockImplementation(async () => (revs.length > 1 ? revs.shift()! : revs[0]!))
}

function syncRequests(client: {calls: Array<{method: string; args: unknown[]}>}): SyncRequest[] {
  return client.calls.filter((c) => c.method === 'sync').map((c) => c.args[0] as SyncRequest)
}

/** Generous waits: the wrapper polls the lake on its real schedule and CI machines are shared. */
const SLOW = {timeout: 10_000}

beforeEach(() => {
  sanity.fetch.mockReset()
  sanity.lake = null
  sanity.roles = ['editor']
  sanity.validation = null
  sanity.revisions.clear()
})

/** Plans and courses as the demo has them, and a lake holding them. */
function lakeWithCatalog() {
  const lake = createFakeSanityClient([
    {_id: 'plan-pro', _type: 'clerkPlan', key: 'pro', title: 'Pro', rank: 20},
    {_id: 'plan-ent', _type: 'clerkPlan', key: 'enterprise', title: 'Enterprise', rank: 30},
    {
      _id: 'course-a11y',
      _type: 'course',
      title: 'Accessible Interfaces',
      slug: {_type: 'slug', current: 'accessibility'},
    },
  ])
  sanity.lake = lake.client
  return lake
}

const ref = (id: string) => ({_type: 'reference', _ref: id})

function grantDoc(
  id: string,
  rev: string,
  subject: string,
  name: string,
  extra: Record<string, unknown> = {},
): SanityDocument {
  return {
    ...entitlement(id, rev, subject),
    subjectSnapshot: {subjectId: subject, name, email: null, imageUrl: null},
    plan: ref('plan-pro'),
    grants: [{...ref('course-a11y'), _key: 'k1'}],
    ...extra,
  }
}

describe('withClerkSync(publish)', () => {
  it('keeps the original description, syncs once the published revision changed, and names who gained and lost what', async () => {
    const lake = lakeWithCatalog()
    const before = grantDoc('ent-ok', 'r1', 'user_alan1', 'Alan Turing')
    lake.put(before)
    const {hook, onHandle} = builtIn('publish', 'Publish')
    const props = actionProps(
      'drafts.ent-ok',
      before,
      grantDoc('drafts.ent-ok', 'r2', 'user_barbara1', 'Barbara Liskov'),
    )
    const {result, client} = renderHookWithClerk(() => withClerkSync(hook)(props))
    // The webhook wrote first: the proxy finds Clerk already right for both.
    client.syncResponse = () => ({
      results: [
        {subject: 'user_barbara1', outcome: 'unchanged', changes: {}},
        {subject: 'user_alan1', outcome: 'unchanged', changes: {}},
      ],
    })
    expect(result.current).toMatchObject({label: 'Publish', disabled: false})
    act(() => result.current!.onHandle!())
    expect(onHandle).toHaveBeenCalledTimes(1)
    expect(syncRequests(client)).toEqual([])
    lake.put(grantDoc('ent-ok', 'r3', 'user_barbara1', 'Barbara Liskov'))
    await waitFor(
      () =>
        expect(syncRequests(client)).toEqual([
          {documentId: 'ent-ok', previousSubjects: ['user_alan1'], documentRevision: 'r3'},
        ]),
      SLOW,
    )
    expect(lake.fetch).toHaveBeenCalledWith(
      '*[_id == $id][0]._rev',
      {id: 'ent-ok'},
      {perspective: 'raw'},
    )
    const toast = await screen.findByTestId('clerk-sync-toast', {}, SLOW)
    expect(toast).toHaveTextContent('Barbara Liskov gained Pro and Accessible Interfaces')
    expect(toast).toHaveTextContent('Alan Turing lost Pro and Accessible Interfaces')
    expect(toast).not.toHaveTextContent('user_')
    expect(screen.getByText('Clerk updated')).toBeInTheDocument()
    expect(syncStatusStore.get('ent-ok')?.status).toBe('synced')
  })

  it('words a downgrade as a plan switch, counting what another entitlement still grants', async () => {
    const lake = lakeWithCatalog()
    lake.put(grantDoc('ent-other', 'o1', 'user_alan2', 'Alan Turing', {grants: []}))
    const before = grantDoc('ent-down2', 'r1', 'user_alan2', 'Alan Turing', {
      plan: ref('plan-ent'),
    })
    lake.put(before)
    const {hook} = builtIn('publish', 'Publish')
    const props = actionProps('drafts.ent-down2', before, {...before, _id: 'drafts.ent-down2'})
    const {result} = renderHookWithClerk(() => withClerkSync(hook)(props))
    act(() => result.current!.onHandle!())
    lake.put({...before, _rev: 'r2', plan: ref('plan-pro'), grants: []})
    const toast = await screen.findByTestId('clerk-sync-toast', {}, SLOW)
    // Pro also comes from ent-other; the course went with this entitlement's grants.
    expect(toast).toHaveTextContent('Alan Turing lost Accessible Interfaces')
    expect(toast).toHaveTextContent('Alan Turing moved from the Enterprise plan to Pro')
  })

  it('when the proxy is down, the publish still happens, the error shows and Retry recovers', async () => {
    const {hook, onHandle} = builtIn('publish', 'Publish')
    const props = actionProps(
      'drafts.ent-down',
      null,
      entitlement('drafts.ent-down', 'r1', 'user_a1'),
    )
    lakeRevisions('r2')
    const {result, client} = renderHookWithClerk(() => ({
      action: withClerkSync(hook)(props),
      badge: useClerkSyncBadge(props),
    }))
    client.failures.sync = 'unreachable'
    act(() => result.current.action!.onHandle!())
    expect(onHandle).toHaveBeenCalledTimes(1)
    expect(
      await screen.findByText(/Clerk not updated: Clerk proxy unreachable/, {}, SLOW),
    ).toBeInTheDocument()
    expect(syncRequests(client)).toEqual([{documentId: 'ent-down', documentRevision: 'r2'}])
    await waitFor(
      () =>
        expect(result.current.badge).toMatchObject({label: 'Clerk: out of sync', color: 'danger'}),
      SLOW,
    )

    delete client.failures.sync
    await userEvent.click(screen.getByTestId('clerk-sync-retry'))
    await waitFor(() => expect(result.current.badge).toBeNull(), SLOW)
    expect(syncRequests(client)).toHaveLength(2)
    expect(syncStatusStore.get('ent-down')?.status).toBe('synced')
  })

  it('shows the proxy’s reason when the editor may not sync', async () => {
    const {hook} = builtIn('publish', 'Publish')
    const props = actionProps(
      'drafts.ent-403',
      null,
      entitlement('drafts.ent-403', 'r1', 'user_a1'),
    )
    lakeRevisions('r2')
    const {result, client} = renderHookWithClerk(() => withClerkSync(hook)(props))
    client.failures.sync = {
      status: 403,
      code: 'forbidden',
      message: 'Your role may not sync to Clerk.',
    }
    act(() => result.current!.onHandle!())
    expect(await screen.findByText('Clerk not updated: Not allowed', {}, SLOW)).toBeInTheDocument()
    expect(screen.getByTestId('clerk-sync-toast')).toHaveTextContent(
      'Your role may not sync to Clerk.',
    )
    expect(syncStatusStore.get('ent-403')).toMatchObject({
      status: 'failed',
      error: {kind: 'forbidden'},
    })
  })

  it('leaves syncing to the webhook for editors without a sync role', async () => {
    sanity.roles = ['viewer']
    const {hook, onHandle} = builtIn('publish', 'Publish')
    const props = actionProps(
      'drafts.ent-viewer',
      null,
      entitlement('drafts.ent-viewer', 'r1', 'user_a1'),
    )
    lakeRevisions('r2')
    const {result, client} = renderHookWithClerk(() => withClerkSync(hook)(props))
    act(() => result.current!.onHandle!())
    expect(onHandle).toHaveBeenCalled()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(sanity.fetch).not.toHaveBeenCalled()
    expect(syncRequests(client)).toEqual([])
  })

  it('passes through a null description', () => {
    const hidden: DocumentActionComponent = () => null
    hidden.action = 'publish'
    const {result} = renderHookWithClerk(() => withClerkSync(hidden)(actionProps('x', null, null)))
    expect(result.current).toBeNull()
  })
})

describe('withClerkSync(publish) while Sanity’s subject verdict may be stale (issue 17)', () => {
  const chooseSubject = validateSubjectChoice(undefined) as string
  const subjectError: ValidationMarker = {level: 'error', message: chooseSubject, path: []}

  function newEntitlementWithSubject(id: string) {
    const {hook, onHandle} = builtIn('publish', 'Publish')
    const props = actionProps(id, null, entitlement(`drafts.${id}`, 'r2', 'user_a1'))
    lakeRevisions('r3')
    const rendered = renderHookWithClerk(() => withClerkSync(hook)(props))
    return {...rendered, onHandle}
  }

  it('holds a click while the status carries the subject error of an older draft, and passes it on once, syncing once, when the error clears', async () => {
    // The run over the title-only draft ended after the subject was in: its error reads as current.
    sanity.validation = {isValidating: false, validation: [subjectError], revision: 'r2'}
    const {result, rerender, client, onHandle} = newEntitlementWithSubject('ent-stale')
    act(() => result.current!.onHandle!())
    expect(onHandle).not.toHaveBeenCalled()
    expect(result.current).toMatchObject({disabled: true, label: 'Validating document…'})

    sanity.validation = {isValidating: true, validation: [subjectError], revision: 'r2'}
    rerender()
    expect(onHandle).not.toHaveBeenCalled()

    sanity.validation = {isValidating: false, validation: [], revision: 'r2'}
    rerender()
    expect(onHandle).toHaveBeenCalledTimes(1)
    expect(result.current).toMatchObject({label: 'Publish', disabled: false})
    rerender()
    expect(onHandle).toHaveBeenCalledTimes(1)
    await waitFor(
      () =>
        expect(syncRequests(client)).toEqual([{documentId: 'ent-stale', documentRevision: 'r3'}]),
      SLOW,
    )
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(syncRequests(client)).toHaveLength(1)
  })

  it('holds a click made while a run is going, through the stale error it ends with, until the current draft’s verdict', () => {
    sanity.validation = {isValidating: true, validation: [], revision: 'r1'}
    const {result, rerender, onHandle} = newEntitlementWithSubject('ent-running')
    act(() => result.current!.onHandle!())
    sanity.validation = {isValidating: false, validation: [subjectError], revision: 'r2'}
    rerender()
    expect(onHandle).not.toHaveBeenCalled()
    sanity.validation = {isValidating: false, validation: [], revision: 'r2'}
    rerender()
    expect(onHandle).toHaveBeenCalledTimes(1)
  })

  it('passes a click straight to the original when the draft truly has no subject, so Sanity shows its own message', () => {
    const {hook, onHandle} = builtIn('publish', 'Publish')
    const {clerkUserId: _none, ...withoutSubject} = entitlement('drafts.ent-none', 'r1', 'user_a1')
    sanity.validation = {isValidating: false, validation: [subjectError], revision: 'r1'}
    const props = actionProps('drafts.ent-none', null, withoutSubject)
    lakeRevisions('r2')
    const {result} = renderHookWithClerk(() => withClerkSync(hook)(props))
    act(() => result.current!.onHandle!())
    expect(onHandle).toHaveBeenCalledTimes(1)
    expect(result.current).toMatchObject({label: 'Publish'})
  })

  it('drops a held click when the current verdict disables the original, instead of publishing past it', () => {
    const {onHandle: original, hook: _unused} = builtIn('publish', 'Publish')
    const disabledWhenInvalid: DocumentActionComponent = () => ({
      label: 'Publish',
      onHandle: original,
      disabled: sanity.validation?.validation.some((marker) => marker.level === 'error') ?? false,
    })
    disabledWhenInvalid.action = 'publish'
    sanity.validation = {isValidating: true, validation: [], revision: 'r2'}
    const props = actionProps(
      'drafts.ent-bad',
      null,
      entitlement('drafts.ent-bad', 'r2', 'user_a1'),
    )
    const {result, rerender} = renderHookWithClerk(() => withClerkSync(disabledWhenInvalid)(props))
    act(() => result.current!.onHandle!())
    const otherError: ValidationMarker = {level: 'error', message: 'Required', path: ['plan']}
    sanity.validation = {isValidating: false, validation: [otherError], revision: 'r2'}
    rerender()
    expect(original).not.toHaveBeenCalled()
    expect(result.current).toMatchObject({label: 'Publish', disabled: true})
  })

  it('shows the waiting label in the second locale', () => {
    sanity.validation = {isValidating: false, validation: [subjectError], revision: 'r2'}
    const {hook} = builtIn('publish', 'Publish')
    const props = actionProps('drafts.ent-de', null, entitlement('drafts.ent-de', 'r2', 'user_a1'))
    const {result} = renderHookWithClerk(() => withClerkSync(hook)(props), {locale: 'de-DE'})
    act(() => result.current!.onHandle!())
    expect(result.current).toMatchObject({disabled: true, label: 'Dokument wird validiert…'})
  })
})

describe('withClerkSync(unpublish/delete)', () => {
  it('revokes the published subject once the published version is gone', async () => {
    const {hook} = builtIn('unpublish', 'Unpublish')
    const props = actionProps('ent-un', entitlement('ent-un', 'r5', 'org_acme1'), null)
    lakeRevisions('r5', null)
    const {result, client} = renderHookWithClerk(() => withClerkSync(hook)(props))
    act(() => result.current!.onHandle!())
    await waitFor(
      () =>
        expect(syncRequests(client)).toEqual([
          {documentId: 'ent-un', previousSubjects: ['org_acme1'], documentRevision: null},
        ]),
      SLOW,
    )
    expect(sanity.fetch).toHaveBeenCalledTimes(2)
  })

  it('names the address an email-addressed entitlement had, so its holder is revoked', async () => {
    const {hook} = builtIn('delete', 'Delete')
    const {clerkUserId: _id, ...published} = entitlement('ent-mail', 'r7', 'user_x1')
    const props = actionProps('ent-mail', {...published, clerkEmail: 'ada@example.com'}, null)
    lakeRevisions('r7', null)
    const {result, client} = renderHookWithClerk(() => withClerkSync(hook)(props))
    act(() => result.current!.onHandle!())
    await waitFor(
      () =>
        expect(syncRequests(client)).toEqual([
          {documentId: 'ent-mail', previousEmails: ['ada@example.com'], documentRevision: null},
        ]),
      SLOW,
    )
  })

  it('does nothing for a document that was never published', async () => {
    const {hook, onHandle} = builtIn('delete', 'Delete')
    const props = actionProps(
      'drafts.ent-new',
      null,
      entitlement('drafts.ent-new', 'r1', 'user_a1'),
    )
    const {result, client} = renderHookWithClerk(() => withClerkSync(hook)(props))
    act(() => result.current!.onHandle!())
    expect(onHandle).toHaveBeenCalled()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(sanity.fetch).not.toHaveBeenCalled()
    expect(syncRequests(client)).toEqual([])
  })
})

describe('useClerkSyncAction', () => {
  it('is disabled until the document is published', () => {
    const {result} = renderHookWithClerk(() =>
      useClerkSyncAction(
        actionProps('drafts.ent-d', null, entitlement('drafts.ent-d', 'r', 'user_a1')),
      ),
    )
    expect(result.current).toMatchObject({label: 'Sync to Clerk now', disabled: true})
    expect(useClerkSyncAction.action).toBe('clerkSync')
  })

  it('syncs the published document on demand and says when nobody’s access changed', async () => {
    const lake = lakeWithCatalog()
    const published = grantDoc('ent-now', 'r', 'user_a1', 'Ada Lovelace')
    lake.put(published)
    const props = actionProps('ent-now', published, null)
    const {result, client} = renderHookWithClerk(() => useClerkSyncAction(props))
    expect(result.current).toMatchObject({disabled: false})
    act(() => result.current!.onHandle!())
    await waitFor(() => expect(syncRequests(client)).toEqual([{documentId: 'ent-now'}]))
    expect(await screen.findByText('No change in Clerk', {}, SLOW)).toBeInTheDocument()
    expect(screen.getByTestId('clerk-sync-toast')).toHaveTextContent('Nobody’s access changed.')
  })

  it('is hidden from editors without a sync role', () => {
    sanity.roles = ['viewer']
    const {result} = renderHookWithClerk(() => useClerkSyncAction(actionProps('ent-v', null, null)))
    expect(result.current).toBeNull()
  })
})
