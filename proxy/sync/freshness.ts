/**
 * Read-your-write for an eventually consistent Content Lake. GROQ queries may be answered by a
 * replica that has not applied the latest writes yet; the document endpoint always has them. A
 * sync that knows which revision of a document caused it (the Studio after publishing, the
 * webhook's `_rev`) must not write from a read that predates that revision.
 *
 * A replica applies transactions in order, so a read that saw revision R of a document also saw
 * every write committed before R. The sync's query therefore also asks for the revisions of the
 * documents it depends on, and the read counts only when each one is the required revision or
 * the current one (the replica then caught up past the requirement).
 */
import type {SubjectId} from '../../core/access'
import type {ProxyStore} from '../store'

/** "This read must reflect `documentId` at `rev`" (`null`: reflect that it is gone). */
export interface RevisionRequirement {
  documentId: string
  rev: string | null
}

/** The requirements a read does not meet yet, given what it saw and, when needed, the current revisions. */
export async function unmetRequirements(
  requirements: readonly RevisionRequirement[],
  seen: ReadonlyMap<string, string | null>,
  currentRevisions: (ids: string[]) => Promise<Map<string, string | null>>,
): Promise<RevisionRequirement[]> {
  const differing = requirements.filter(
    ({documentId, rev}) => (seen.get(documentId) ?? null) !== rev,
  )
  if (differing.length === 0) return []
  // The document may have moved on since the requirement was taken: then the replica only has to
  // have caught up with its current revision.
  const current = await currentRevisions([...new Set(differing.map((r) => r.documentId))])
  return differing.filter(
    ({documentId}) => (seen.get(documentId) ?? null) !== (current.get(documentId) ?? null),
  )
}

const WITNESSES_PER_SUBJECT = 8
const witnessKey = (subject: SubjectId) => `witness:${subject}`

/**
 * Requirements remembered per subject in the shared store, so that a later sync of the subject
 * that names no revision (a Resync, the reconcile, the sweep, a re-check) on ANY instance still
 * reads at least as new as the newest change some sync was told about. Newest first, one per
 * document, a few per subject, forgotten after `ttlMs` (by then every replica has caught up).
 */
export function createWitnesses(store: ProxyStore, ttlMs: number) {
  async function recall(subjects: readonly SubjectId[]): Promise<RevisionRequirement[][]> {
    const values = await store.recall(subjects.map(witnessKey))
    return values.map((value) => {
      if (!value) return []
      try {
        const parsed = JSON.parse(value) as unknown
        return Array.isArray(parsed) ? (parsed as RevisionRequirement[]) : []
      } catch {
        return []
      }
    })
  }

  return {
    recall,
    async record(subjects: readonly SubjectId[], requirement: RevisionRequirement): Promise<void> {
      const known = await recall(subjects)
      await Promise.all(
        subjects.map((subject, index) => {
          const others = (known[index] ?? []).filter(
            ({documentId}) => documentId !== requirement.documentId,
          )
          const next = [requirement, ...others].slice(0, WITNESSES_PER_SUBJECT)
          return store.remember(witnessKey(subject), JSON.stringify(next), ttlMs)
        }),
      )
    },
  }
}
