import {useCallback} from 'react'
import {set, unset, type ObjectInputProps} from 'sanity'

import {ENTITLEMENT_FIELDS} from '../schema/names'
import {EmailGrantContext} from './EmailGrantContext'
import {SubjectSnapshotContext, type SubjectSnapshot} from './SubjectSnapshotContext'

/**
 * The entitlement form as Sanity draws it, plus a way for the subject pickers (which can only
 * patch their own field) to store the `subjectSnapshot` sibling used by previews, and for the
 * user picker to address the entitlement to an email instead (one subject still: the user id and
 * its snapshot go).
 */
export function EntitlementFormInput(props: ObjectInputProps): React.JSX.Element {
  const {onChange} = props
  const setSnapshot = useCallback(
    (snapshot: SubjectSnapshot | null) => {
      const path = [ENTITLEMENT_FIELDS.snapshot]
      onChange(snapshot ? set(snapshot, path) : unset(path))
    },
    [onChange],
  )
  const grantByEmail = useCallback(
    (email: string) =>
      onChange([
        unset([ENTITLEMENT_FIELDS.userId]),
        unset([ENTITLEMENT_FIELDS.snapshot]),
        set(email, [ENTITLEMENT_FIELDS.email]),
      ]),
    [onChange],
  )
  return (
    <SubjectSnapshotContext.Provider value={setSnapshot}>
      <EmailGrantContext.Provider value={grantByEmail}>
        {props.renderDefault(props)}
      </EmailGrantContext.Provider>
    </SubjectSnapshotContext.Provider>
  )
}
