import {screen, waitFor} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type {StringInputProps} from 'sanity'
import {describe, expect, it, vi} from 'vitest'

import {createFakeProxyClient, makeStatus, makeUser} from '../test/fakeProxyClient'
import {stringInputProps} from '../test/inputProps'
import {renderWithClerk} from '../test/render'
import {ClerkEmailInput} from './ClerkEmailInput'

describe('ClerkEmailInput', () => {
  it('says "No Clerk account yet" while no user has the address', async () => {
    renderWithClerk(<ClerkEmailInput {...stringInputProps({value: 'new.person@example.com'})} />, {
      client: createFakeProxyClient(),
    })
    const status = screen.getByTestId('clerk-email-status')
    expect(await screen.findByText('No Clerk account yet')).toBeInTheDocument()
    expect(status).toHaveAttribute('data-status', 'no-account')
  })

  it("shows the user's card once an account with the address exists", async () => {
    const client = createFakeProxyClient()
    const ada = makeUser('user_ada1', 'Ada Lovelace')
    client.users = [ada]
    client.statuses.set(ada.id, makeStatus(ada))
    renderWithClerk(
      <ClerkEmailInput {...stringInputProps({value: 'ada.lovelace@example.com'})} />,
      {
        client,
      },
    )
    const card = await screen.findByTestId('clerk-selected-card')
    await waitFor(() => expect(card).toHaveTextContent('Ada Lovelace'))
    expect(screen.getByTestId('clerk-email-status')).toHaveAttribute('data-status', 'account')
  })

  it('stores a typed address normalized, and nothing for a non-address', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    renderWithClerk(<ClerkEmailInput {...stringInputProps({onChange})} />, {
      client: createFakeProxyClient(),
    })
    const input = screen.getByTestId('clerk-email-input')
    await userEvent.type(input, 'not an address{Enter}')
    expect(onChange).not.toHaveBeenCalled()
    await userEvent.clear(input)
    await userEvent.type(input, '  New.Person@Example.com{Enter}')
    expect(onChange).toHaveBeenCalledWith(
      expect.objectContaining({type: 'set', value: 'new.person@example.com'}),
    )
  })
})
