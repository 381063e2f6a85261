/** Shared by the emulator's tests: an emulator with a real SDK client, and error capture. */
import {createClerkClient, type ClerkClient} from '@clerk/backend'
import {isClerkAPIResponseError, type ClerkAPIResponseError} from '@clerk/backend/errors'
import {startClerkEmulator, type ClerkEmulator, type ClerkEmulatorOptions} from './server'

export interface EmulatorWithClient {
  emulator: ClerkEmulator
  clerk: ClerkClient
}

/** An emulator (rate limit off unless asked for) and a `@clerk/backend` client pointed at it. */
export async function startWithClient(
  options: ClerkEmulatorOptions = {},
): Promise<EmulatorWithClient> {
  const emulator = await startClerkEmulator({rateLimit: false, ...options})
  const clerk = createClerkClient({secretKey: emulator.secretKey, apiUrl: emulator.url})
  return {emulator, clerk}
}

/** The `ClerkAPIResponseError` a call rejects with; fails when it resolves or throws another. */
export async function clerkError(call: Promise<unknown>): Promise<ClerkAPIResponseError> {
  try {
    await call
  } catch (error) {
    if (isClerkAPIResponseError(error)) return error
    throw error
  }
  throw new Error('expected the call to fail with a ClerkAPIResponseError')
}
