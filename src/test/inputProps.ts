import {createElement} from 'react'
import type {StringInputProps} from 'sanity'
import {vi} from 'vitest'

/**
 * The parts of `StringInputProps` the pickers read; the rest of the (large) interface is not
 * used by them, hence the cast.
 */
export function stringInputProps(overrides: Partial<StringInputProps> = {}): StringInputProps {
  const props = {
    value: undefined,
    readOnly: false,
    onChange: vi.fn<StringInputProps['onChange']>(),
    elementProps: {id: 'field-input'},
    renderDefault: (p: StringInputProps) =>
      createElement('input', {
        'data-testid': 'default-input',
        readOnly: p.readOnly,
        value: p.value ?? '',
      }),
    ...overrides,
  }
  return props as unknown as StringInputProps
}
