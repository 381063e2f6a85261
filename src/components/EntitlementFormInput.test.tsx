import {render, screen} from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type {ObjectInputProps} from 'sanity'
import {describe, expect, it, vi} from 'vitest'

import {LockIcon} from '../icons'
import {prepareEntitlementPreview} from '../schema/entitlementType'
import {EntitlementFormInput} from './EntitlementFormInput'
import {useSetSubjectSnapshot} from './SubjectSnapshotContext'

function SnapshotButtons() {
  const setSnapshot = useSetSubjectSnapshot()
  return (
    <>
      <button
        onClick={() =>
          setSnapshot?.({subjectId: 'user_1', name: 'Ada', email: null, imageUrl: null})
        }
      >
        save
      </button>
      <button onClick={() => setSnapshot?.(null)}>clear</button>
    </>
  )
}

describe('EntitlementFormInput', () => {
  it('lets the pickers inside the form patch the subjectSnapshot field of the document', async () => {
    const onChange = vi.fn<ObjectInputProps['onChange']>()
    const props = {
      onChange,
      renderDefault: () => <SnapshotButtons />,
    } as unknown as ObjectInputProps
    render(<EntitlementFormInput {...props} />)
    await userEvent.click(screen.getByText('save'))
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({
        type: 'set',
        path: ['subjectSnapshot'],
        value: {subjectId: 'user_1', name: 'Ada', email: null, imageUrl: null},
      }),
    )
    await userEvent.click(screen.getByText('clear'))
    expect(onChange).toHaveBeenLastCalledWith(
      expect.objectContaining({type: 'unset', path: ['subjectSnapshot']}),
    )
  })
})

describe('prepareEntitlementPreview', () => {
  const snapshot = {
    subjectId: 'user_1',
    name: 'Ada Lovelace',
    email: 'ada@x.test',
    imageUrl: 'https://img.test/a.png',
  }

  it('shows title, plan, role and who, with the avatar', () => {
    const preview = prepareEntitlementPreview({
      title: 'Pro for Ada',
      userId: 'user_1',
      snapshot,
      planTitle: 'Pro',
      roleTitle: 'Editor',
    })
    expect(preview.title).toBe('Pro for Ada')
    expect(preview.subtitle).toBe('Pro · Editor · Ada Lovelace')
    render(<>{preview.media as React.ReactElement}</>)
    expect(document.querySelector('img')).toHaveAttribute('src', 'https://img.test/a.png')
  })

  it('ignores a stale snapshot of another subject and falls back to the id', () => {
    const preview = prepareEntitlementPreview({
      organizationId: 'org_9',
      snapshot,
      planTitle: 'Team',
    })
    expect(preview.title).toBe('org_9')
    expect(preview.subtitle).toBe('Team')
    expect(preview.media).toBe(LockIcon)
  })
})
