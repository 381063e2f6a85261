import {describe, expect, it} from 'vitest'

import {satisfiesCaret, TESTING_PEERS, testingPeerProblems, testingPeersError} from './testingPeers'

describe('sanity-plugin-clerk/testing entry', () => {
  it('re-exports every value the stand-ins export, as the same objects', async () => {
    const entry = await import('./testing')
    const standIns = await import('./index')
    expect(Object.keys(entry).sort()).toEqual(Object.keys(standIns).sort())
    for (const [name, value] of Object.entries(standIns)) {
      expect(entry[name as keyof typeof entry], name).toBe(value)
    }
  })
})

describe('testing peers', () => {
  it('finds every one, in range, in this repository (they are devDependencies here)', async () => {
    expect(await testingPeerProblems()).toEqual([])
  })

  it('reports the missing ones and the ones of a major the stand-ins do not run on', async () => {
    // What a Studio 5 holds after installing the plugin: Sanity 5's own older majors.
    const installed: Record<string, string | null> = {
      '@sanity/mutator': '5.31.2',
      'get-it': '9.6.2',
      'groq-js': '1.30.3',
      selfsigned: null,
    }
    expect(await testingPeerProblems(async (name) => installed[name] ?? null)).toEqual([
      {name: '@sanity/mutator', found: '5.31.2'},
      {name: 'groq-js', found: '1.30.3'},
      {name: 'selfsigned', found: null},
    ])
  })

  it('compares caret ranges the way npm does for the ranges it uses', () => {
    expect(satisfiesCaret('2.0.1', '^2.0.1')).toBe(true)
    expect(satisfiesCaret('2.3.0', '^2.0.1')).toBe(true)
    expect(satisfiesCaret('2.0.0', '^2.0.1')).toBe(false)
    expect(satisfiesCaret('6.15.9', '^6.16.0')).toBe(false)
    expect(satisfiesCaret('3.0.0', '^2.0.1')).toBe(false)
    expect(satisfiesCaret('1.30.3', '^2.0.1')).toBe(false)
  })

  it('names each package, what is there, and the command that adds them', () => {
    const message = testingPeersError([
      {name: 'groq-js', found: '1.30.3'},
      {name: 'selfsigned', found: null},
    ]).message
    expect(message).toContain(`groq-js@${TESTING_PEERS['groq-js']} is needed, 1.30.3 is installed`)
    expect(message).toContain(`selfsigned@${TESTING_PEERS.selfsigned} is not installed`)
    expect(message).toContain(
      `npm install --save-dev groq-js@"${TESTING_PEERS['groq-js']}" selfsigned@"${TESTING_PEERS.selfsigned}"`,
    )
  })
})
