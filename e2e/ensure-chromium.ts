/**
 * The browser suites drive Debian's Chromium. On a fresh machine it is not there yet, and the
 * README promises that `npm install && npm test` is all the set-up: install it when we can.
 */
import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}. Install it with "sudo apt-get install -y chromium" or set CHROMIUM_PATH.`,
    )
  }
  console.info('Installing Chromium from Debian (apt-get install chromium)…')
  const env = {...process.env, DEBIAN_FRONTEND: 'noninteractive'}
  execFileSync('apt-get', ['update', '-qq'], {stdio: 'inherit', env})
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {stdio: 'inherit', env})
}

if (import.meta.url === `file://${process.argv[1]}`) ensureChromium()
