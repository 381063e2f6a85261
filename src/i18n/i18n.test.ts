import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative, resolve} from 'node:path'

import {describe, expect, it} from 'vitest'

import deDE from './resources/de-DE'
import enUS from './resources/en-US'

const srcDir = resolve(import.meta.dirname, '..')
const PLURAL_SUFFIXES = ['_zero', '_one', '_two', '_few', '_many', '_other']

const locales: Record<string, Record<string, string>> = {'de-DE': deDE}

function placeholders(value: string): string[] {
  return [...value.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!).sort()
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'test' ? [] : sourceFiles(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

/** Keys the plugin's code asks for: `t('key'…)`, the only form the code may use. */
function usedKeys(): Map<string, string> {
  const used = new Map<string, string>()
  for (const file of sourceFiles(srcDir)) {
    const code = readFileSync(file, 'utf8')
    for (const m of code.matchAll(/\bt\(\s*'([^']+)'/g)) used.set(m[1]!, relative(srcDir, file))
  }
  return used
}

function hasKey(key: string): boolean {
  return key in enUS || PLURAL_SUFFIXES.some((suffix) => `${key}${suffix}` in enUS)
}

describe('the plugin locale bundles', () => {
  it.each(Object.keys(locales))('%s has every en-US key and no other', (locale) => {
    const resources = locales[locale]!
    expect(Object.keys(resources).sort()).toEqual(Object.keys(enUS).sort())
  })

  it.each(Object.keys(locales))('%s keeps every placeholder of en-US', (locale) => {
    const resources = locales[locale]!
    const mismatched = Object.entries(enUS).filter(
      ([key, english]) =>
        placeholders(resources[key] ?? '').join() !== placeholders(english as string).join(),
    )
    expect(mismatched.map(([key]) => key)).toEqual([])
  })

  it('has no empty strings', () => {
    for (const [locale, resources] of Object.entries({'en-US': enUS, ...locales})) {
      const empty = Object.entries(resources).filter(([, value]) => !String(value).trim())
      expect(empty, locale).toEqual([])
    }
  })

  it('holds every key a component asks for', () => {
    const missing = [...usedKeys()].filter(([key]) => !hasKey(key))
    expect(missing.map(([key, file]) => `${key} (${file})`)).toEqual([])
  })

  it('asks for keys only by literal name, so the check above sees them all', () => {
    const dynamic = sourceFiles(srcDir).filter((file) =>
      /\bt\(\s*(`|[a-zA-Z_$][\w$.]*\s*[,)])/.test(readFileSync(file, 'utf8')),
    )
    expect(dynamic.map((file) => relative(srcDir, file))).toEqual([])
  })

  it('has no key that nothing uses', () => {
    const used = usedKeys()
    const base = (key: string) =>
      PLURAL_SUFFIXES.reduce((k, s) => (k.endsWith(s) ? k.slice(0, -s.length) : k), key)
    const unused = Object.keys(enUS).filter((key) => !used.has(base(key)))
    expect(unused).toEqual([])
  })
})
