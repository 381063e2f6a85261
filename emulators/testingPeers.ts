/**
 * The packages only the stand-ins need (the Content Lake's GROQ engine, mutations, HTTP client and
 * TLS certificate). They are devDependencies here and are NOT declared to consumers: npm validates
 * even an optional peer it finds in the tree, and a Studio 5 carries older majors of three of them
 * (groq-js 1, @sanity/mutator 5, get-it 8), so declaring them made `npm install` of the plugin
 * pull and hoist the newer majors into every Studio 5. Instead `sanity-plugin-clerk/testing`
 * checks for them before it loads and names what to add. These ranges are the ones this
 * repository's devDependencies hold (checked by the package test).
 */
import {readFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const TESTING_PEERS: Readonly<Record<string, string>> = {
  '@sanity/mutator': '^6.16.0',
  'get-it': '^9.6.2',
  'groq-js': '^2.0.1',
  selfsigned: '^5.5.0',
}

/** A testing peer that is missing (`found: null`) or outside its range. */
export interface PeerProblem {
  name: string
  found: string | null
}

/** The version of `name` that an import from here resolves to, or null when none resolves. */
export type VersionLookup = (name: string) => Promise<string | null>

const resolvedVersion: VersionLookup = async (name) => {
  let entry: string
  try {
    entry = fileURLToPath(import.meta.resolve(name))
  } catch {
    return null
  }
  for (let dir = dirname(entry); ; dir = dirname(dir)) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').then(
      (text) => JSON.parse(text) as {name?: string; version?: string},
      () => null,
    )
    if (manifest?.name === name) return manifest.version ?? null
    if (dirname(dir) === dir) return null
  }
}

/** Whether `version` satisfies a caret range `^M.m.p` (the only form {@link TESTING_PEERS} uses). */
export function satisfiesCaret(version: string, range: string): boolean {
  const parse = (text: string) => text.replace(/^\^/, '').split(/[.+-]/).slice(0, 3).map(Number)
  const [major, minor, patch] = parse(version)
  const [wantMajor, wantMinor, wantPatch] = parse(range)
  if (major !== wantMajor) return false
  return minor! > wantMinor! || (minor === wantMinor && patch! >= wantPatch!)
}

/** The testing peers that are missing or of the wrong version, in a stable order. */
export async function testingPeerProblems(
  lookup: VersionLookup = resolvedVersion,
): Promise<PeerProblem[]> {
  const names = Object.keys(TESTING_PEERS).sort()
  const versions = await Promise.all(names.map((name) => lookup(name)))
  return names
    .map((name, index) => ({name, found: versions[index] ?? null}))
    .filter(({name, found}) => found === null || !satisfiesCaret(found, TESTING_PEERS[name]!))
}

/** The error `sanity-plugin-clerk/testing` throws for those problems: what to install, and how. */
export function testingPeersError(problems: PeerProblem[]): Error {
  const lines = problems.map(({name, found}) =>
    found === null
      ? `- ${name}@${TESTING_PEERS[name]} is not installed`
      : `- ${name}@${TESTING_PEERS[name]} is needed, ${found} is installed`,
  )
  const specs = problems.map(({name}) => `${name}@"${TESTING_PEERS[name]}"`).join(' ')
  return new Error(
    [
      'sanity-plugin-clerk/testing: the local stand-ins need packages that installing the plugin leaves out:',
      ...lines,
      `Add them to your dev dependencies: npm install --save-dev ${specs}`,
    ].join('\n'),
  )
}
