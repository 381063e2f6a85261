import {ClerkDocumentPanel} from './ClerkDocumentPanel'

/** The props Structure passes to a `S.view.component(...)` view that this view reads. */
export interface ClerkAccessViewProps {
  documentId: string
  schemaType: {name: string}
}

/**
 * The Clerk panel as a Structure view, for Studios that prefer a tab to the inspector:
 *
 * ```ts
 * S.document().views([S.view.form(), S.view.component(ClerkAccessView).title('Clerk')])
 * ```
 */
export function ClerkAccessView(props: ClerkAccessViewProps): React.JSX.Element {
  return <ClerkDocumentPanel documentId={props.documentId} documentType={props.schemaType.name} />
}
