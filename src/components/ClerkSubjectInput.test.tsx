import {screen, waitFor} from '@testing-library/react'
import {useState} from 'react'
import userEvent from '@testing-library/user-event'
import type {StringInputProps} from 'sanity'
import {describe, expect, it, vi} from 'vitest'

import {
  createFakeProxyClient,
  makeOrganization,
  makeStatus,
  makeUser,
} from '../test/fakeProxyClient'
import {stringInputProps} from '../test/inputProps'
import {renderWithClerk} from '../test/render'
import {ClerkOrganizationIdInput, ClerkUserIdInput, SEARCH_DEBOUNCE_MS} from './ClerkSubjectInput'
import {EmailGrantContext} from './EmailGrantContext'
import {SubjectSnapshotContext, type SubjectSnapshot} from './SubjectSnapshotContext'

const ada = makeUser('user_ada1', 'Ada Lovelace', {imageUrl: 'https://img.test/ada.png'})
const alan = makeUser('user_alan2', 'Alan Turing')
const grace = makeUser('user_grace3', 'Grace Hopper')

function clientWithUsers() {
  const client = createFakeProxyClient()
  client.users = [ada, alan, grace]
  return client
}

function searches(client: ReturnType<typeof createFakeProxyClient>) {
  return client.calls
    .filter((c) => c.method === 'searchUsers')
    .map((c) => (c.args[0] as {query: string}).query)
}

describe('ClerkUserIdInput: searching', () => {
  it('searches once after typing pauses, not per keystroke, and lists avatar, name, email and id', async () => {
    const client = clientWithUsers()
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'a')
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'l')
    expect(searches(client)).toEqual([])
    const option = await screen.findByTestId('clerk-picker-option-user_alan2')
    expect(searches(client)).toEqual(['al'])
    expect(option).toHaveTextContent('Alan Turing')
    expect(option).toHaveTextContent('alan.turing@example.com · user_alan2')
    expect(screen.getByRole('listbox')).toBeInTheDocument()
  })

  it('shows a loading state while the proxy answers', async () => {
    const client = clientWithUsers()
    const release = client.hold('searchUsers')
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'grace')
    expect(await screen.findByTestId('clerk-picker-loading')).toHaveTextContent(
      'Searching Clerk users',
    )
    release()
    expect(await screen.findByTestId('clerk-picker-option-user_grace3')).toBeInTheDocument()
    expect(screen.queryByTestId('clerk-picker-loading')).not.toBeInTheDocument()
  })

  it('says so when nothing matches', async () => {
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client: clientWithUsers()})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'zelda')
    expect(await screen.findByTestId('clerk-picker-empty')).toHaveTextContent(
      'No Clerk users match “zelda”',
    )
  })

  it('moves through results with the arrow keys, picks with Enter and stores a snapshot', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    const setSnapshot = vi.fn<(snapshot: SubjectSnapshot | null) => void>()
    renderWithClerk(
      <SubjectSnapshotContext.Provider value={setSnapshot}>
        <ClerkUserIdInput {...stringInputProps({onChange})} />
      </SubjectSnapshotContext.Provider>,
      {client: clientWithUsers()},
    )
    const input = screen.getByTestId('clerk-user-picker-input')
    await userEvent.type(input, 'a')
    await screen.findByTestId('clerk-picker-option-user_grace3')
    const options = screen.getAllByRole('option')
    expect(options.map((o) => o.getAttribute('aria-selected'))).toEqual(['true', 'false', 'false'])
    // Up from the first wraps to the last; Down from the last wraps to the first.
    await userEvent.keyboard('{ArrowUp}{ArrowDown}{ArrowDown}')
    expect(input).toHaveAttribute('aria-activedescendant', screen.getAllByRole('option')[1]!.id)
    await userEvent.keyboard('{Enter}')
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({type: 'set', value: 'user_alan2'}),
    )
    expect(setSnapshot).toHaveBeenCalledWith({
      subjectId: 'user_alan2',
      name: 'Alan Turing',
      email: 'alan.turing@example.com',
      imageUrl: null,
    })
  })

  it('closes the list with Escape without choosing', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({onChange})} />, {
      client: clientWithUsers(),
    })
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'ada')
    await screen.findByTestId('clerk-picker-option-user_ada1')
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument()
    await userEvent.keyboard('{Enter}')
    expect(onChange).not.toHaveBeenCalled()
  })

  it('picks a result with the mouse', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({onChange})} />, {
      client: clientWithUsers(),
    })
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'grace')
    await userEvent.click(await screen.findByTestId('clerk-picker-option-user_grace3'))
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({value: 'user_grace3'}))
  })

  it('searches organizations for the organization input', async () => {
    const client = createFakeProxyClient()
    client.organizations = [makeOrganization('org_acme1', 'Acme Corp')]
    renderWithClerk(<ClerkOrganizationIdInput {...stringInputProps()} />, {client})
    await userEvent.type(screen.getByTestId('clerk-organization-picker-input'), 'acme')
    expect(await screen.findByTestId('clerk-picker-option-org_acme1')).toHaveTextContent(
      'acme-corp · org_acme1',
    )
  })
})

describe('ClerkUserIdInput: pasted ids and outages', () => {
  it('takes a pasted id at once, without a search', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    const setSnapshot = vi.fn<(snapshot: SubjectSnapshot | null) => void>()
    const client = clientWithUsers()
    renderWithClerk(
      <SubjectSnapshotContext.Provider value={setSnapshot}>
        <ClerkUserIdInput {...stringInputProps({onChange})} />
      </SubjectSnapshotContext.Provider>,
      {client},
    )
    await userEvent.click(screen.getByTestId('clerk-user-picker-input'))
    await userEvent.paste('  user_pasted9 ')
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({type: 'set', value: 'user_pasted9'}),
    )
    expect(setSnapshot).toHaveBeenCalledWith(null)
    expect(searches(client)).toEqual([])
  })

  it('saves the snapshot of a pasted id once Clerk knows it', async () => {
    const setSnapshot = vi.fn<(snapshot: SubjectSnapshot | null) => void>()
    const client = clientWithUsers()
    client.statuses.set(ada.id, makeStatus(ada))
    function Field() {
      const [value, setValue] = useState<string | undefined>()
      const onChange = (patch: unknown) => setValue((patch as {value?: string}).value)
      return (
        <ClerkUserIdInput
          {...stringInputProps({value, onChange: onChange as StringInputProps['onChange']})}
        />
      )
    }
    renderWithClerk(
      <SubjectSnapshotContext.Provider value={setSnapshot}>
        <Field />
      </SubjectSnapshotContext.Provider>,
      {client},
    )
    await userEvent.click(screen.getByTestId('clerk-user-picker-input'))
    await userEvent.paste(ada.id)
    await waitFor(() =>
      expect(setSnapshot).toHaveBeenLastCalledWith(
        expect.objectContaining({subjectId: ada.id, name: 'Ada Lovelace'}),
      ),
    )
    expect(setSnapshot).toHaveBeenCalledTimes(2)
  })

  it('never saves a snapshot merely because a document with a subject was opened', async () => {
    const setSnapshot = vi.fn<(snapshot: SubjectSnapshot | null) => void>()
    const client = clientWithUsers()
    client.statuses.set(ada.id, makeStatus(ada))
    renderWithClerk(
      <SubjectSnapshotContext.Provider value={setSnapshot}>
        <ClerkUserIdInput {...stringInputProps({value: ada.id})} />
      </SubjectSnapshotContext.Provider>,
      {client},
    )
    await waitFor(() =>
      expect(screen.getByTestId('clerk-selected-card')).toHaveAttribute('data-status', 'found'),
    )
    expect(setSnapshot).not.toHaveBeenCalled()
  })

  it('refuses a malformed id with an explanation', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({onChange})} />, {
      client: clientWithUsers(),
    })
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'user_12-34{Enter}')
    expect(screen.getByTestId('clerk-picker-invalid-id')).toHaveTextContent(
      'not a valid Clerk user id',
    )
    expect(onChange).not.toHaveBeenCalled()
  })

  it('when the proxy is down, explains it and still accepts a typed id', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    const client = clientWithUsers()
    client.failures.searchUsers = 'unreachable'
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({onChange})} />, {client})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'user_typed7')
    const error = await screen.findByTestId('clerk-picker-error')
    expect(error).toHaveTextContent('Clerk proxy unreachable')
    expect(error).toHaveTextContent('You can still paste a Clerk user id')
    await userEvent.keyboard('{Enter}')
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({value: 'user_typed7'}))
  })

  it('when the editor lacks permission, shows the proxy’s reason', async () => {
    const client = clientWithUsers()
    client.failures.searchUsers = {
      status: 403,
      code: 'forbidden',
      message: 'Your role may not read Clerk users.',
    }
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'ada')
    const error = await screen.findByTestId('clerk-picker-error')
    expect(error).toHaveTextContent('Not allowed')
    expect(error).toHaveTextContent('Your role may not read Clerk users.')
  })

  it('without the search permission, does not search, says why and still takes a pasted id', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    const client = clientWithUsers()
    client.meResponse = {...client.meResponse, roles: ['viewer'], permissions: ['read']}
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({onChange})} />, {client})
    const note = await screen.findByTestId('clerk-picker-no-search')
    expect(note).toHaveTextContent('Searching Clerk needs an editor role')
    const input = screen.getByTestId('clerk-user-picker-input')
    expect(input).toHaveAttribute('aria-describedby', note.id)
    expect(input).toHaveAttribute('placeholder', 'Paste a Clerk user id (user_…)')
    await userEvent.type(input, 'ada')
    await new Promise((resolve) => setTimeout(resolve, SEARCH_DEBOUNCE_MS + 100))
    expect(searches(client)).toEqual([])
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument()
    expect(screen.queryByTestId('clerk-picker-error')).not.toBeInTheDocument()
    await userEvent.clear(input)
    await userEvent.type(input, 'user_typed7')
    expect(screen.getByTestId('clerk-picker-use-id')).toHaveTextContent('user_typed7')
    await userEvent.keyboard('{Enter}')
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({value: 'user_typed7'}))
    expect(searches(client)).toEqual([])
  })

  it('while /me has not answered, searches as before and lets the proxy decide', async () => {
    const client = clientWithUsers()
    client.meResponse = {...client.meResponse, permissions: ['read']}
    const releaseMe = client.hold('me')
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'ada')
    expect(await screen.findByTestId('clerk-picker-option-user_ada1')).toBeInTheDocument()
    expect(screen.queryByTestId('clerk-picker-no-search')).not.toBeInTheDocument()
    releaseMe()
    expect(await screen.findByTestId('clerk-picker-no-search')).toBeInTheDocument()
  })

  it('says all of it in the Studio locale (de-DE)', async () => {
    const client = clientWithUsers()
    client.meResponse = {...client.meResponse, permissions: ['read']}
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client, locale: 'de-DE'})
    expect(await screen.findByTestId('clerk-picker-no-search')).toHaveTextContent(
      'Die Suche in Clerk erfordert eine Redakteursrolle',
    )
    expect(screen.getByTestId('clerk-user-picker-input')).toHaveAttribute(
      'placeholder',
      'Clerk-Benutzer-ID einfügen (user_…)',
    )
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'user_typed7')
    expect(screen.getByTestId('clerk-picker-use-id')).toHaveTextContent(
      'Benutzer-ID user_typed7 verwenden',
    )
  })

  it('explains a proxy outage in the Studio locale (de-DE)', async () => {
    const client = clientWithUsers()
    client.failures.searchUsers = 'unreachable'
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client, locale: 'de-DE'})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'ada')
    const error = await screen.findByTestId('clerk-picker-error')
    expect(error).toHaveTextContent('Suche nicht verfügbar: Clerk-Proxy nicht erreichbar')
    expect(error).toHaveTextContent('Clerk holt beim nächsten Abgleich auf')
    expect(error).toHaveTextContent('Sie können weiterhin eine Clerk-Benutzer-ID')
  })

  it('explains cookie login when there is no token to send', async () => {
    const client = clientWithUsers()
    client.failures.searchUsers = {status: 401, code: 'unauthorized', message: 'No token'}
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client, hasToken: false})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'ada')
    expect(await screen.findByTestId('clerk-picker-error')).toHaveTextContent(
      'signs in with a cookie',
    )
  })
})

describe('ClerkUserIdInput: the selected subject', () => {
  it.each([
    ['found', {}, 'Found in Clerk'],
    ['banned', {banned: true}, 'Banned'],
    ['locked', {locked: true}, 'Locked'],
  ] as const)('shows a %s user with name and email', async (state, flags, label) => {
    const client = createFakeProxyClient()
    const user = makeUser('user_ada1', 'Ada Lovelace', flags)
    client.statuses.set(user.id, makeStatus(user))
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({value: user.id})} />, {client})
    const card = screen.getByTestId('clerk-selected-card')
    await waitFor(() => expect(card).toHaveAttribute('data-status', state))
    expect(screen.getByTestId('clerk-selected-status')).toHaveTextContent(label)
    expect(card).toHaveTextContent('ada.lovelace@example.com')
  })

  it('flags a subject deleted in Clerk', async () => {
    const client = createFakeProxyClient()
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({value: 'user_gone1'})} />, {client})
    await waitFor(() =>
      expect(screen.getByTestId('clerk-selected-card')).toHaveAttribute('data-status', 'deleted'),
    )
    expect(screen.getByTestId('clerk-selected-status')).toHaveTextContent('Deleted in Clerk')
  })

  it('keeps the id visible when the status cannot be fetched', async () => {
    const client = createFakeProxyClient()
    client.failures.subjectStatus = 'unreachable'
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({value: 'user_kept1'})} />, {client})
    await waitFor(() =>
      expect(screen.getByTestId('clerk-selected-card')).toHaveAttribute('data-status', 'unknown'),
    )
    expect(screen.getByTestId('clerk-selected-card')).toHaveTextContent('user_kept1')
    expect(screen.getByTestId('clerk-selected-status')).toHaveTextContent('Clerk proxy unreachable')
  })

  it('clears the value and the snapshot', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    const setSnapshot = vi.fn<(snapshot: SubjectSnapshot | null) => void>()
    renderWithClerk(
      <SubjectSnapshotContext.Provider value={setSnapshot}>
        <ClerkUserIdInput {...stringInputProps({value: 'user_ada1', onChange})} />
      </SubjectSnapshotContext.Provider>,
    )
    await userEvent.click(screen.getByTestId('clerk-picker-clear'))
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({type: 'unset'}))
    expect(setSnapshot).toHaveBeenCalledWith(null)
  })

  it('is read-only: no clear button, and no search box without a value', () => {
    const {unmount} = renderWithClerk(
      <ClerkUserIdInput {...stringInputProps({value: 'user_ada1', readOnly: true})} />,
    )
    expect(screen.getByTestId('clerk-selected-card')).toBeInTheDocument()
    expect(screen.queryByTestId('clerk-picker-clear')).not.toBeInTheDocument()
    unmount()
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({readOnly: true})} />)
    expect(screen.queryByTestId('clerk-user-picker-input')).not.toBeInTheDocument()
    expect(screen.getByTestId('default-input')).toHaveAttribute('readonly')
  })
})

describe('ClerkUserIdInput: replacing the subject', () => {
  /** A picker over a real value: every patch it sends is applied and recorded. */
  function ReplaceableField({initial, seen}: {initial: string; seen: Array<string | undefined>}) {
    const [value, setValue] = useState<string | undefined>(initial)
    const onChange = (patch: unknown) => {
      const next = (patch as {type: string; value?: string}).value
      seen.push(next)
      setValue(next)
    }
    return (
      <ClerkUserIdInput
        {...stringInputProps({value, onChange: onChange as StringInputProps['onChange']})}
      />
    )
  }

  it('keeps the current user set while searching, and sets the new one in a single step', async () => {
    const client = clientWithUsers()
    client.statuses.set(alan.id, makeStatus(alan))
    client.statuses.set(grace.id, makeStatus(grace))
    const seen: Array<string | undefined> = []
    const setSnapshot = vi.fn<(snapshot: SubjectSnapshot | null) => void>()
    renderWithClerk(
      <SubjectSnapshotContext.Provider value={setSnapshot}>
        <ReplaceableField initial={alan.id} seen={seen} />
      </SubjectSnapshotContext.Provider>,
      {client},
    )
    await userEvent.click(screen.getByTestId('clerk-picker-replace'))
    // The search box is focused for typing; the current user is still shown and still set.
    const input = screen.getByTestId('clerk-user-picker-input')
    expect(input).toHaveFocus()
    expect(screen.getByTestId('clerk-selected-card')).toHaveTextContent('Alan Turing')
    await userEvent.type(input, 'grace')
    await userEvent.click(await screen.findByTestId('clerk-picker-option-user_grace3'))
    // Never unset on the way: the document always has a subject.
    expect(seen).toEqual([grace.id])
    expect(setSnapshot).toHaveBeenLastCalledWith(expect.objectContaining({subjectId: grace.id}))
    expect(setSnapshot).not.toHaveBeenCalledWith(null)
    expect(screen.queryByTestId('clerk-user-picker-input')).not.toBeInTheDocument()
    await waitFor(() =>
      expect(screen.getByTestId('clerk-selected-card')).toHaveTextContent('Grace Hopper'),
    )
  })

  it('keeps the user when the editor changes their mind', async () => {
    const client = clientWithUsers()
    const seen: Array<string | undefined> = []
    renderWithClerk(<ReplaceableField initial={alan.id} seen={seen} />, {client})
    await userEvent.click(screen.getByTestId('clerk-picker-replace'))
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'gra')
    await userEvent.click(screen.getByTestId('clerk-picker-replace-cancel'))
    expect(screen.queryByTestId('clerk-user-picker-input')).not.toBeInTheDocument()
    expect(screen.getByTestId('clerk-picker-replace')).toHaveAttribute('aria-pressed', 'false')
    expect(seen).toEqual([])
  })

  it('offers no Replace on a read-only field', () => {
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({value: alan.id, readOnly: true})} />)
    expect(screen.queryByTestId('clerk-picker-replace')).not.toBeInTheDocument()
  })
})

describe('ClerkUserIdInput: typed text survives form updates', () => {
  function typedText() {
    return (screen.getByTestId('clerk-user-picker-input') as HTMLInputElement).value
  }

  it('keeps the text typed after a clear when a late echo of the old value lands', async () => {
    const client = clientWithUsers()
    const onChange = vi.fn<StringInputProps['onChange']>()
    const {rerender} = renderWithClerk(
      <ClerkUserIdInput {...stringInputProps({value: ada.id, onChange})} />,
      {client},
    )
    await userEvent.click(screen.getByTestId('clerk-picker-clear'))
    expect(onChange).toHaveBeenCalledWith(expect.objectContaining({type: 'unset'}))
    rerender(<ClerkUserIdInput {...stringInputProps({value: undefined, onChange})} />)
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'gra')
    // The form re-renders with the previous value once more, then with the cleared one.
    rerender(<ClerkUserIdInput {...stringInputProps({value: ada.id, onChange})} />)
    rerender(<ClerkUserIdInput {...stringInputProps({value: undefined, onChange})} />)
    expect(typedText()).toBe('gra')
  })

  it('keeps the text typed while the form is briefly read-only (a permission re-check)', async () => {
    const client = clientWithUsers()
    const {rerender} = renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'gra')
    rerender(<ClerkUserIdInput {...stringInputProps({readOnly: true})} />)
    rerender(<ClerkUserIdInput {...stringInputProps({readOnly: false})} />)
    expect(typedText()).toBe('gra')
  })

  it('starts empty again after the editor picks and then clears', async () => {
    const client = clientWithUsers()
    client.statuses.set(grace.id, makeStatus(grace))
    function Field() {
      const [value, setValue] = useState<string | undefined>()
      const onChange = (patch: unknown) => setValue((patch as {value?: string}).value)
      return (
        <ClerkUserIdInput
          {...stringInputProps({value, onChange: onChange as StringInputProps['onChange']})}
        />
      )
    }
    renderWithClerk(<Field />, {client})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'grace')
    await userEvent.click(await screen.findByTestId('clerk-picker-option-user_grace3'))
    await userEvent.click(await screen.findByTestId('clerk-picker-clear'))
    expect(typedText()).toBe('')
  })
})

describe('ClerkUserIdInput: grant by email', () => {
  it('offers a grant to a typed address no Clerk user has, and makes it on pick', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    const grantByEmail = vi.fn<(email: string) => void>()
    renderWithClerk(
      <EmailGrantContext.Provider value={grantByEmail}>
        <ClerkUserIdInput {...stringInputProps({onChange})} />
      </EmailGrantContext.Provider>,
      {client: clientWithUsers()},
    )
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), ' New.Person@Example.com')
    const option = await screen.findByTestId('clerk-picker-grant-email')
    expect(option).toHaveTextContent('new.person@example.com')
    expect(option).toHaveTextContent(/No Clerk account yet/)
    await userEvent.click(option)
    expect(grantByEmail).toHaveBeenCalledWith('new.person@example.com')
    expect(onChange).not.toHaveBeenCalled()
  })

  it('does not offer it for a search that finds the user, or outside an entitlement', async () => {
    const client = clientWithUsers()
    const grantByEmail = vi.fn<(email: string) => void>()
    const {unmount} = renderWithClerk(
      <EmailGrantContext.Provider value={grantByEmail}>
        <ClerkUserIdInput {...stringInputProps()} />
      </EmailGrantContext.Provider>,
      {client},
    )
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'Ada')
    await screen.findByTestId('clerk-picker-option-user_ada1')
    expect(screen.queryByTestId('clerk-picker-grant-email')).toBeNull()
    unmount()
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client})
    await userEvent.type(screen.getByTestId('clerk-user-picker-input'), 'nobody@example.com')
    await screen.findByTestId('clerk-picker-empty')
    expect(screen.queryByTestId('clerk-picker-grant-email')).toBeNull()
  })
})
