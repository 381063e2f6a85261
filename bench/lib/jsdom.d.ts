/** The part of jsdom's API the benches use (the package ships no types; @types/jsdom is not installed). */
declare module 'jsdom' {
  export class JSDOM {
    constructor(html?: string, options?: {url?: string})
    readonly window: Window & typeof globalThis
  }
}
