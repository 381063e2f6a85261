import type {DocumentInspectorProps} from 'sanity'

import {ClerkDocumentPanel} from './ClerkDocumentPanel'

/** The document inspector (lazy-loaded by the plugin). */
export default function ClerkInspector(props: DocumentInspectorProps): React.JSX.Element {
  return <ClerkDocumentPanel documentId={props.documentId} documentType={props.documentType} />
}
