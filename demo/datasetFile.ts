/**
 * The demo's dataset on disk, as NDJSON (one document per line, the format `sanity dataset
 * export` uses), so edits made in the demo survive a restart.
 */
import {mkdir, readFile, rename, writeFile} from 'node:fs/promises'
import {dirname} from 'node:path'

export interface StoredDocument {
  _id: string
  _type: string
  [field: string]: unknown
}

/** Reads the file; `null` when there is none yet. A damaged file is an error naming the line. */
export async function readDatasetFile(path: string): Promise<StoredDocument[] | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  const documents: StoredDocument[] = []
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw new Error(`${path}:${index + 1} is not JSON; fix or delete the file to reseed the demo`)
    }
    if (!isDocument(value)) {
      throw new Error(`${path}:${index + 1} is not a document with _id and _type`)
    }
    documents.push(value)
  })
  return documents
}

/**
 * Writes all documents, replacing the file atomically (write a sibling, then rename) so a crash
 * mid-write never leaves half a dataset behind.
 */
export async function writeDatasetFile(path: string, documents: StoredDocument[]): Promise<void> {
  await mkdir(dirname(path), {recursive: true})
  const sorted = [...documents].sort(({_id: a}, {_id: b}) => (a < b ? -1 : a > b ? 1 : 0))
  const text = sorted.map((document) => JSON.stringify(document)).join('\n')
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, text ? `${text}\n` : '')
  await rename(temporary, path)
}

function isDocument(value: unknown): value is StoredDocument {
  if (typeof value !== 'object' || value === null) return false
  const {_id, _type} = value as Record<string, unknown>
  return typeof _id === 'string' && _id !== '' && typeof _type === 'string' && _type !== ''
}
