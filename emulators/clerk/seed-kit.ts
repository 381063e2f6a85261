/**
 * The seed toolkit: the names, slugs and email addresses of generated people and organizations.
 * The emulator's populations (`seed.ts`) and the demo's cast (`demo/seed/clerk.ts`) both draw
 * from it, with the randomness of `random.ts`, so there is one name list, one slug rule and one
 * way to keep emails unique.
 */
import {pick, type RandomSource} from './random'

/** First names of generated people (accents included, so search and slugs meet them). */
export const FIRST_NAMES: readonly string[] = [
  'Ada',
  'Alan',
  'Amara',
  'Bruno',
  'Chen',
  'Dalia',
  'Emeka',
  'Freya',
  'Goran',
  'Grace',
  'Hana',
  'Ivo',
  'Jonas',
  'Keiko',
  'Lena',
  'Mateo',
  'Nadia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tariq',
  'Uma',
  'Viktor',
  'Wen',
  'Ximena',
  'Yusuf',
  'Zofia',
  'Élodie',
  'Søren',
  'Aoife',
]

/** Last names of generated people. */
export const LAST_NAMES: readonly string[] = [
  'Okafor',
  'Lindqvist',
  'Moreau',
  'Tanaka',
  'Rossi',
  'Kowalski',
  'Haddad',
  'Nguyen',
  'Silva',
  'Petrov',
  'Fischer',
  'Mendes',
  'Novak',
  'Larsen',
  'Abebe',
  'Kaur',
  'Sato',
  'Jensen',
  "O'Brien",
  'García',
  'Müller',
  'Lovelace',
  'Hopper',
]

/** Domains of generated email addresses (reserved for examples, so nothing real is named). */
export const EMAIL_DOMAINS: readonly string[] = ['example.com', 'example.org', 'example.net']

/** Words of generated organization names: one of the first list, one of the second. */
export const ORGANIZATION_WORDS: readonly [readonly string[], readonly string[]] = [
  ['Orbit', 'Northwind', 'Acme', 'Fjord', 'Bluebird', 'Summit', 'Harbor', 'Cedar', 'Aurora'],
  ['Labs', 'Academy', 'Learning', 'Analytics', 'Health', 'Studio', 'Works', 'Partners', 'Guild'],
]

/** A person's first and last name. */
export type PersonName = readonly [firstName: string, lastName: string]

/** The ASCII letters and digits of a text, lower-cased: `Élodie` → `elodie`, `O'Brien` → `obrien`. */
function asciiWords(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
}

/** A Clerk-style slug: `Orbit Labs` → `orbit-labs`, `Søren & Co.` → `s-ren-co`. */
export function slugify(text: string): string {
  return asciiWords(text)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** The local part of a person's email address: `Élodie O'Brien` → `elodie.obrien`. */
export function emailLocalPart(firstName: string, lastName: string): string {
  const part = (text: string) => asciiWords(text).replace(/[^a-z0-9]/g, '')
  return `${part(firstName)}.${part(lastName)}`
}

/**
 * Hands out email addresses that are unique by local part: the second `ada.lovelace` becomes
 * `ada.lovelace2`, whatever the domain, so a search by name finds each person once.
 */
export class EmailBook {
  readonly #seen = new Map<string, number>()

  /** A fresh address for this person at `domain`. */
  take(firstName: string, lastName: string, domain: string): string {
    const base = emailLocalPart(firstName, lastName)
    const count = (this.#seen.get(base) ?? 0) + 1
    this.#seen.set(base, count)
    return `${count === 1 ? base : `${base}${count}`}@${domain}`
  }
}

/**
 * The name lists for generated people around a curated cast: every first or last name of a
 * `reserved` person is left out, so no generated "Grace Okafor" or "Amara Hopper" stands next
 * to a curated Grace Hopper in a search.
 */
export function fillerNames(reserved: readonly PersonName[] = []): {
  firstNames: readonly string[]
  lastNames: readonly string[]
} {
  const taken = new Set(reserved.flatMap(([first, last]) => [first, last]))
  const firstNames = FIRST_NAMES.filter((name) => !taken.has(name))
  const lastNames = LAST_NAMES.filter((name) => !taken.has(name))
  if (firstNames.length === 0 || lastNames.length === 0) {
    throw new Error('the reserved cast leaves no names for generated people')
  }
  return {firstNames, lastNames}
}

/** A random person from name lists (by default all of them). */
export function randomPersonName(
  random: RandomSource,
  names: {firstNames: readonly string[]; lastNames: readonly string[]} = fillerNames(),
): PersonName {
  return [pick(random, names.firstNames), pick(random, names.lastNames)]
}
