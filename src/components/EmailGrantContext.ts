import {createContext, useContext} from 'react'

/**
 * Set by the entitlement form: addresses the entitlement to an email instead of a user id (the
 * user picker can only patch its own field). `null` outside an entitlement.
 */
export const EmailGrantContext = createContext<((email: string) => void) | null>(null)

/** Turns the surrounding entitlement into a grant to `email`, if there is one. */
export function useGrantByEmail(): ((email: string) => void) | null {
  return useContext(EmailGrantContext)
}
