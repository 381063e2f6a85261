/**
 * Vitest global set-up of the unit run: the shared-store tests and the multi-instance suite start
 * real redis-servers, so a fresh machine gets Debian's package before any test file runs.
 */
import {ensureRedisServer} from './redis-server'

export function setup(): void {
  ensureRedisServer()
}
