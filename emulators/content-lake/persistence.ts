/**
 * NDJSON persistence in Sanity's export format (one document per line), so the demo keeps an
 * editor's work across restarts. Writes go to a temporary file that replaces the real one, so a
 * crash mid-write never leaves a truncated dataset.
 */
import {existsSync} from 'node:fs'
import {readFile, rename, writeFile} from 'node:fs/promises'

import type {LakeDocument} from './types'
import {idOf, typeOf} from './fields'

/** Reads a dataset; a missing file is an empty dataset, a malformed line is an error. */
export async function loadNdjson(file: string): Promise<LakeDocument[]> {
  if (!existsSync(file)) return []
  const text = await readFile(file, 'utf8')
  return text.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return []
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new Error(`content-lake: ${file}:${index + 1} is not valid JSON (${reason})`, {
        cause: error,
      })
    }
    const document = parsed as Partial<LakeDocument> | null
    if (typeof idOf(document) !== 'string' || typeof typeOf(document) !== 'string') {
      throw new Error(`content-lake: ${file}:${index + 1} is not a document (needs _id and _type)`)
    }
    return [document as LakeDocument]
  })
}

export function toNdjson(documents: LakeDocument[]): string {
  const sorted = [...documents].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0))
  return sorted.map((document) => JSON.stringify(document)).join('\n') + (sorted.length ? '\n' : '')
}

export async function saveNdjson(file: string, documents: LakeDocument[]): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`
  await writeFile(temporary, toNdjson(documents))
  await rename(temporary, file)
}

/** Saves at most once per `delayMs` after changes, and on `flush()`. */
export class DebouncedSaver {
  private timer: NodeJS.Timeout | null = null
  private saving: Promise<void> = Promise.resolve()
  private readonly file: string
  private readonly snapshot: () => LakeDocument[]
  private readonly delayMs: number

  constructor(file: string, snapshot: () => LakeDocument[], delayMs = 200) {
    this.file = file
    this.snapshot = snapshot
    this.delayMs = delayMs
  }

  schedule(): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      void this.save()
    }, this.delayMs)
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
    }
    await this.save()
  }

  private save(): Promise<void> {
    this.saving = this.saving
      .then(() => saveNdjson(this.file, this.snapshot()))
      .catch((error: unknown) => console.error(`content-lake: could not save ${this.file}`, error))
    return this.saving
  }
}
