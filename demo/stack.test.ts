import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createClient} from '@sanity/client'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {demoUser} from './seed/clerk'
import {startDemoStack, type DemoStack} from './stack'

// The servers of `npm start` without the Studio build (the browser journeys cover that part).
describe('startDemoStack', () => {
  let dataDir: string
  const running: DemoStack[] = []
  const start = async () => {
    const stack = await startDemoStack({dataDir, studio: false, log: () => {}})
    running.push(stack)
    return stack
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'demo-stack-'))
  })
  afterAll(async () => {
    for (const stack of running) await stack.close()
    await rm(dataDir, {recursive: true, force: true})
  })

  it('seeds both sides from one seed and reconciles Clerk to the content on start', async () => {
    const stack = await start()
    const ada = demoUser(stack.clerkSeed, 'ada.lovelace@example.com')
    expect(stack.clerk.store.getUser(ada.id)?.public_metadata).toEqual({
      plan: 'pro',
      role: 'editor',
      courseSlugs: ['groq-fundamentals', 'portable-text', 'structured-content'],
    })
    // Drafts and expired entitlements grant nothing.
    for (const email of ['ken.thompson@example.com', 'radia.perlman@example.com']) {
      expect(
        stack.clerk.store.getUser(demoUser(stack.clerkSeed, email).id)?.public_metadata,
      ).toEqual({})
    }
    expect(stack.reconciled).toMatchObject({failed: 0})
    expect(stack.reconciled?.written).toBeGreaterThan(5)
    expect(stack.loginUrl).toMatch(/^https:\/\/clerkdemo\.localhost:\d+\/__lake\/login\?origin=/)

    // An edit made in the demo: a seeded entitlement is deleted.
    const client = createClient(stack.lake.clientConfig('administrator'))
    await client.delete('entitlement-ada-lovelace')
    await stack.close()
  })

  it('keeps edits and logins across a restart instead of seeding again', async () => {
    const [previous] = running
    const stack = await start()
    expect(stack.lake.getDocument('entitlement-ada-lovelace')).toBeUndefined()
    expect(stack.lake.getDocument('entitlement-margaret-hamilton')).toBeDefined()
    expect(stack.logins.editor.token).toBe(previous?.logins.editor.token)
    // Clerk starts fresh each time; the start-up reconcile applies the kept content.
    const ada = demoUser(stack.clerkSeed, 'ada.lovelace@example.com')
    expect(stack.clerk.store.getUser(ada.id)?.public_metadata).toEqual({})
  })
})
