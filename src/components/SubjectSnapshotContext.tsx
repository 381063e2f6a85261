import {createContext, useContext} from 'react'

/** What the picker saves next to the id, so previews can show a name without asking Clerk. */
export interface SubjectSnapshot {
  subjectId: string
  name: string | null
  email: string | null
  imageUrl: string | null
}

/** Set by the entitlement form; `null` when a picker is used in some other document type. */
export const SubjectSnapshotContext = createContext<
  ((snapshot: SubjectSnapshot | null) => void) | null
>(null)

/** Saves (or clears) the subject snapshot on the surrounding entitlement, if there is one. */
export function useSetSubjectSnapshot(): ((snapshot: SubjectSnapshot | null) => void) | null {
  return useContext(SubjectSnapshotContext)
}
