import {readMetadataUpdate, type MetadataField} from './metadata'
import {validateBody, type FieldKind} from './params'
import type {RouteHandler} from './router'

/**
 * `PATCH …/metadata` (deep merge) or `PUT …/metadata` (replace) for the resource whose id is the
 * route parameter `idParam`: users and organizations differ only in the fields they accept.
 */
export function metadataRoute(
  idParam: string,
  fields: readonly MetadataField[],
  mode: 'merge' | 'replace',
): RouteHandler {
  const bodyShape: Record<string, FieldKind> = Object.fromEntries(
    fields.map((field) => [field, 'object']),
  )
  return ({params, body, store}) =>
    store.updateMetadata(
      params[idParam] as string,
      readMetadataUpdate(validateBody(body, bodyShape), fields, mode),
      mode,
    )
}
