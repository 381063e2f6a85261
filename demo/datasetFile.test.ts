import {mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readDatasetFile, writeDatasetFile} from './datasetFile'

describe('dataset file', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dataset-'))
  })
  afterAll(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('is absent before the first write', async () => {
    expect(await readDatasetFile(join(dir, 'none.ndjson'))).toBeNull()
  })

  it('round-trips documents, one per line, sorted by id, leaving no temporary file', async () => {
    const path = join(dir, 'nested', 'dataset.ndjson')
    const documents = [
      {_id: 'plan-pro', _type: 'clerkPlan', rank: 10},
      {_id: 'drafts.course-a', _type: 'course', title: 'Ä\nB'},
    ]
    await writeDatasetFile(path, documents)
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n')
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[0] ?? '')._id).toBe('drafts.course-a')
    expect(await readDatasetFile(path)).toEqual([documents[1], documents[0]])
    expect(await readdir(join(dir, 'nested'))).toEqual(['dataset.ndjson'])
  })

  it('names the line of a damaged file', async () => {
    const path = join(dir, 'broken.ndjson')
    await writeFile(path, '{"_id":"a","_type":"t"}\n{oops\n')
    await expect(readDatasetFile(path)).rejects.toThrow(/broken\.ndjson:2 is not JSON/)
    await writeFile(path, '{"_id":"a"}\n')
    await expect(readDatasetFile(path)).rejects.toThrow(/:1 is not a document/)
  })
})
