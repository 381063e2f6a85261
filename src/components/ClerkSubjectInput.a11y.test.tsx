import {screen} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type {StringInputProps} from 'sanity'
import {describe, expect, it, vi} from 'vitest'

import {createFakeProxyClient, makeUser} from '../test/fakeProxyClient'
import {stringInputProps} from '../test/inputProps'
import {renderWithClerk} from '../test/render'
import {ClerkUserIdInput} from './ClerkSubjectInput'

const SLOW = {timeout: 15_000}

function clientWithUsers() {
  const client = createFakeProxyClient()
  client.users = [makeUser('user_ada1', 'Ada Lovelace'), makeUser('user_alan2', 'Alan Turing')]
  return client
}

describe('ClerkUserIdInput: screen readers and keyboard', () => {
  it('announces the number of results in a polite live region, and that nothing matched', async () => {
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {client: clientWithUsers()})
    const status = screen.getByRole('status')
    expect(status).toHaveAttribute('aria-live', 'polite')
    expect(status).toBeEmptyDOMElement()
    const input = screen.getByRole('combobox')
    await userEvent.type(input, 'a')
    await screen.findByTestId('clerk-picker-option-user_alan2', {}, SLOW)
    expect(status).toHaveTextContent('2 results. Use the up and down arrows to choose')
    await userEvent.clear(input)
    await userEvent.type(input, 'zelda')
    await screen.findByTestId('clerk-picker-empty', {}, SLOW)
    expect(status).toHaveTextContent('No results.')
  }, 60_000)

  it('is usable with the keyboard alone: focus by Tab, arrows move the active option, Enter picks, Escape closes', async () => {
    const onChange = vi.fn<StringInputProps['onChange']>()
    renderWithClerk(<ClerkUserIdInput {...stringInputProps({onChange})} />, {
      client: clientWithUsers(),
    })
    await userEvent.tab()
    const input = screen.getByRole('combobox')
    expect(input).toHaveFocus()
    await userEvent.keyboard('a')
    await screen.findByTestId('clerk-picker-option-user_alan2', {}, SLOW)
    expect(input).toHaveAttribute('aria-expanded', 'true')
    const listbox = screen.getByRole('listbox')
    expect(input).toHaveAttribute('aria-controls', listbox.id)
    await userEvent.keyboard('{ArrowDown}')
    const active = input.getAttribute('aria-activedescendant')
    expect(document.getElementById(active!)).toHaveAttribute('aria-selected', 'true')
    await userEvent.keyboard('{Escape}')
    expect(input).toHaveAttribute('aria-expanded', 'false')
    await userEvent.keyboard('{ArrowDown}{Enter}')
    expect(onChange).toHaveBeenCalledTimes(1)
  })

  it('announces in the Studio locale', async () => {
    renderWithClerk(<ClerkUserIdInput {...stringInputProps()} />, {
      client: clientWithUsers(),
      locale: 'de-DE',
    })
    await userEvent.type(screen.getByRole('combobox'), 'a')
    await screen.findByTestId('clerk-picker-option-user_alan2', {}, SLOW)
    expect(screen.getByRole('status')).toHaveTextContent('2 Ergebnisse.')
  })
})
