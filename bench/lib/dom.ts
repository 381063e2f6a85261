/**
 * A jsdom window as globals, for running the plugin's React hooks in Node. Install it only after
 * the SDKs are loaded (they detect the environment at import time) and remove it right after.
 * Not an act() test environment: state updates land when their timers fire, as in a browser.
 */
import {JSDOM} from 'jsdom'

const GLOBALS = ['window', 'document', 'navigator', 'HTMLElement', 'Node', 'MutationObserver']

export interface InstalledDom {
  remove(): void
}

export function installDom(): InstalledDom {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', {
    url: 'http://localhost:3333/',
  })
  const target = globalThis as Record<string, unknown>
  const previous = new Map(
    GLOBALS.map((name) => [name, Object.getOwnPropertyDescriptor(target, name)]),
  )
  const source = dom.window as unknown as Record<string, unknown>
  for (const name of GLOBALS) {
    Object.defineProperty(target, name, {value: source[name], configurable: true, writable: true})
  }
  return {
    remove() {
      for (const [name, descriptor] of previous) {
        if (descriptor) Object.defineProperty(target, name, descriptor)
        else delete target[name]
      }
      dom.window.close()
    },
  }
}
