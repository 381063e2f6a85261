import {useCallback} from 'react'
import {set, unset, type ObjectInputProps} from 'sanity'

import {ENTITLEMENT_FIELDS} from '../schema/names'
import {SubjectSnapshotContext, type SubjectSnapshot} from './SubjectSnapshotContext'

/**
 * The entitlement form as Sanity draws it, plus a way for the subject pickers (which can only
 * patch their own field) to store the `subjectSnapshot` sibling used by previews.
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
  return (
    <SubjectSnapshotContext.Provider value={setSnapshot}>
      {props.renderDefault(props)}
    </SubjectSnapshotContext.Provider>
  )
}
