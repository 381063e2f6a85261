import {useEffect, useState} from 'react'
import {getDraftId, getPublishedId, useSchema, type ObjectSchemaType, type SchemaType} from 'sanity'

import {subjectKind} from '../../core/access'
import {CLERK_TYPES} from '../schema/names'
import {useStudioClient} from '../studioClient'

/** The Clerk subjects a document is about, in its draft and published versions. */
export interface DocumentSubjects {
  /** The subject of the newest version (draft if there is one). */
  current: string[]
  /** The subject of the published version: what Clerk should hold now. */
  published: string[]
  /** Subjects of published entitlements that reference this document (plans, roles, courses). */
  referencing: string[]
  loading: boolean
  error: Error | null
}

interface SubjectRow {
  _id: string
  subjects: Array<string | null>
}

interface SubjectQueryResult {
  versions: SubjectRow[]
  referencing: Array<string | null>
}

/** Whether a schema type is, or extends, one of `names`. */
function extendsOneOf(type: SchemaType | undefined, names: ReadonlySet<string>): boolean {
  for (let current = type; current; current = current.type) {
    if (names.has(current.name)) return true
  }
  return false
}

/** Top-level fields whose type is one of the plugin's id types. */
function subjectFieldsOf(type: SchemaType | undefined): string[] {
  const idTypes = new Set<string>([CLERK_TYPES.userId, CLERK_TYPES.organizationId])
  if (!type || type.jsonType !== 'object') return []
  return (type as ObjectSchemaType).fields
    .filter((field) => extendsOneOf(field.type, idTypes))
    .map((field) => field.name)
}

function validSubjects(values: Array<string | null> | undefined): string[] {
  return [...new Set((values ?? []).filter((v): v is string => subjectKind(v) !== null))]
}

/**
 * Finds and follows the subjects of a document without the form (inspectors and views cannot
 * use `useFormValue`): fetches draft and published through the Studio's client and refetches
 * on every mutation the listener reports.
 */
export function useDocumentSubjects(documentId: string, documentType: string): DocumentSubjects {
  const client = useStudioClient()
  const schema = useSchema()
  const fields = subjectFieldsOf(schema.get(documentType))
  const fieldKey = fields.join(',')
  const [state, setState] = useState<DocumentSubjects>({
    current: [],
    published: [],
    referencing: [],
    loading: true,
    error: null,
  })

  useEffect(() => {
    const publishedId = getPublishedId(documentId)
    const params = {
      ids: [publishedId, getDraftId(publishedId)],
      publishedId,
      type: CLERK_TYPES.entitlement,
    }
    const subjectProjection = fieldKey ? `[${fieldKey.split(',').join(', ')}]` : '[]'
    const query = `{
      "versions": *[_id in $ids]{_id, "subjects": ${subjectProjection}},
      "referencing": *[_type == $type && references($publishedId) && !(_id in path("drafts.**"))]
        {"subject": coalesce(clerkUserId, clerkOrganizationId)}.subject
    }`
    let cancelled = false
    const load = () =>
      client
        .fetch<SubjectQueryResult>(query, params, {perspective: 'raw'})
        .then((result) => {
          if (cancelled) return
          const published = result.versions.find(({_id: id}) => id === publishedId)
          const draft = result.versions.find(({_id: id}) => id !== publishedId)
          setState({
            current: validSubjects((draft ?? published)?.subjects),
            published: validSubjects(published?.subjects),
            referencing: validSubjects(result.referencing),
            loading: false,
            error: null,
          })
        })
        .catch((error: unknown) => {
          if (cancelled) return
          setState((previous) => ({
            ...previous,
            loading: false,
            error: error instanceof Error ? error : new Error(String(error)),
          }))
        })
    void load()
    const subscription = client
      .listen('*[_id in $ids]', params, {
        events: ['mutation'],
        includeResult: false,
        visibility: 'query',
      })
      .subscribe({next: () => void load(), error: () => undefined})
    return () => {
      cancelled = true
      subscription.unsubscribe()
    }
  }, [client, documentId, fieldKey])

  return state
}
