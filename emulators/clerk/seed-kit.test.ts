import {seededRandom} from './random'
import {
  EmailBook,
  FIRST_NAMES,
  LAST_NAMES,
  emailLocalPart,
  fillerNames,
  randomPersonName,
  slugify,
} from './seed-kit'

describe('seed toolkit', () => {
  it('slugs and email local parts are plain ASCII', () => {
    expect(slugify('Orbit Labs')).toBe('orbit-labs')
    expect(slugify('  Élodie & Co. ')).toBe('elodie-co')
    expect(emailLocalPart('Élodie', "O'Brien")).toBe('elodie.obrien')
    expect(emailLocalPart('Søren', 'Müller')).toBe('sren.muller')
  })

  it('keeps emails unique by local part across domains', () => {
    const book = new EmailBook()
    expect(book.take('Ada', 'Lovelace', 'example.com')).toBe('ada.lovelace@example.com')
    expect(book.take('Ada', 'Lovelace', 'example.org')).toBe('ada.lovelace2@example.org')
    expect(book.take('Ada', 'Lovelace', 'example.com')).toBe('ada.lovelace3@example.com')
  })

  it('leaves every reserved first and last name out of the filler lists', () => {
    const reserved = [
      ['Grace', 'Hopper'],
      ['Ada', 'Lovelace'],
    ] as const
    const {firstNames, lastNames} = fillerNames(reserved)
    expect(firstNames).not.toContain('Grace')
    expect(firstNames).not.toContain('Ada')
    expect(lastNames).not.toContain('Hopper')
    expect(lastNames).not.toContain('Lovelace')
    expect(firstNames.length).toBe(FIRST_NAMES.length - 2)
    expect(lastNames.length).toBe(LAST_NAMES.length - 2)
    const random = seededRandom('filler')
    for (let i = 0; i < 500; i++) {
      const [first, last] = randomPersonName(random, {firstNames, lastNames})
      expect(['Grace', 'Ada']).not.toContain(first)
      expect(['Hopper', 'Lovelace']).not.toContain(last)
    }
  })

  it('refuses a cast that leaves no names', () => {
    expect(() => fillerNames(FIRST_NAMES.map((first) => [first, 'X'] as const))).toThrow(/no names/)
  })
})
