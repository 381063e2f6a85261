import {mkdtemp, mkdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {serveStatic, type StaticServer} from './staticServer'

describe('serveStatic', () => {
  let dir: string
  let server: StaticServer

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'static-'))
    await mkdir(join(dir, 'site', 'static'), {recursive: true})
    await writeFile(join(dir, 'site', 'index.html'), '<html>studio</html>')
    await writeFile(join(dir, 'site', 'static', 'app.js'), 'console.info(1)')
    await writeFile(join(dir, 'secret.txt'), 'outside the root')
    server = await serveStatic({root: join(dir, 'site')})
  })

  afterAll(async () => {
    await server.close()
    await rm(dir, {recursive: true, force: true})
  })

  it('serves files with their content type', async () => {
    const response = await fetch(`${server.url}/static/app.js`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(await response.text()).toBe('console.info(1)')
  })

  it('answers client-side routes with index.html', async () => {
    const response = await fetch(`${server.url}/structure/course;course-1`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('<html>studio</html>')
  })

  it('404s a missing asset instead of handing out index.html as JavaScript', async () => {
    expect((await fetch(`${server.url}/static/missing.js`)).status).toBe(404)
  })

  it('never reads outside its root', async () => {
    const response = await fetch(`${server.url}/..%2Fsecret.txt`)
    expect(await response.text()).not.toContain('outside the root')
  })
})
