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

describe('EmailInvitation', () => {
  it('invites, shows the status, revokes and resends', async () => {
    const client = createFakeProxyClient()
    client.meResponse = {...client.meResponse, permissions: ['read', 'sync', 'invite']}
    renderWithClerk(<ClerkEmailInput {...stringInputProps({value: 'new.person@example.com'})} />, {
      client,
    })
    await userEvent.click(await screen.findByTestId('clerk-invite'))
    const status = await screen.findByTestId('clerk-invitation-status')
    expect(status).toHaveAttribute('data-status', 'pending')
    expect(client.calls.filter((c) => c.method === 'invite').map((c) => c.args)).toEqual([
      ['new.person@example.com'],
    ])
    await userEvent.click(screen.getByTestId('clerk-invitation-revoke'))
    await waitFor(() =>
      expect(screen.getByTestId('clerk-invitation-status')).toHaveAttribute(
        'data-status',
        'revoked',
      ),
    )
    await userEvent.click(screen.getByTestId('clerk-invitation-resend'))
    await waitFor(() =>
      expect(screen.getByTestId('clerk-invitation-status')).toHaveAttribute(
        'data-status',
        'pending',
      ),
    )
    expect(client.invitationList.map((i) => i.status)).toEqual(['revoked', 'pending'])
  })

  it("shows the proxy's plain words when Clerk refuses, and nothing without the permission", async () => {
    const client = createFakeProxyClient()
    client.meResponse = {...client.meResponse, permissions: ['read', 'sync', 'invite']}
    client.failures.invite = {
      status: 429,
      code: 'clerk_rate_limited',
      message: 'Clerk is limiting invitations right now; try again in 7 seconds.',
    }
    const {unmount} = renderWithClerk(
      <ClerkEmailInput {...stringInputProps({value: 'new.person@example.com'})} />,
      {client},
    )
    await userEvent.click(await screen.findByTestId('clerk-invite'))
    expect(await screen.findByTestId('clerk-invitation-error')).toHaveTextContent(/7 seconds/)
    unmount()
    client.meResponse = {...client.meResponse, permissions: ['read']}
    renderWithClerk(<ClerkEmailInput {...stringInputProps({value: 'x@example.com'})} />, {client})
    await screen.findByText('No Clerk account yet')
    expect(screen.queryByTestId('clerk-invite')).toBeNull()
  })
})
