/**
 * The member site as the demo runs it: the Clerk emulator's session token carries the template
 * `sanity-plugin-clerk/app` prints (so the access the proxy writes rides in every token), tokens
 * are issued for the site's origin (`azp`), and the named people of the seed can sign in.
 */
import {sessionTokenTemplate} from '../../app'
import type {ClerkEmulator, JsonObject} from '../../emulators/clerk'
import {createLakeClient, type ContentLake} from '../../emulators/content-lake'
import {NAMED_PEOPLE, type DemoClerkSeed} from '../seed/clerk'
import {startMemberSite, type MemberSite} from './server'

export interface DemoMemberSiteOptions {
  clerk: ClerkEmulator
  lake: ContentLake
  /** A read-only lake login: the site reads published content only. */
  viewerToken: string
  seed: DemoClerkSeed
  port: number
  refreshMs?: number
}

export async function startDemoMemberSite(options: DemoMemberSiteOptions): Promise<MemberSite> {
  const {clerk, lake, seed} = options
  clerk.sessions.configureSessionToken({
    claims: sessionTokenTemplate().claims as JsonObject,
    authorizedParty: `http://localhost:${options.port}`,
  })
  const site = await startMemberSite({
    clerk: {apiUrl: clerk.url, secretKey: clerk.secretKey, publishableKey: clerk.publishableKey},
    sanity: createLakeClient(lake, 'viewer', {
      apiVersion: '2025-01-01',
      token: options.viewerToken,
    }).withConfig({perspective: 'published', useCdn: false}),
    members: seed.users.slice(0, NAMED_PEOPLE.length).map((user) => ({
      id: user.id,
      name: `${user.firstName} ${user.lastName}`,
      email: user.email,
    })),
    port: options.port,
    ...(options.refreshMs !== undefined && {refreshMs: options.refreshMs}),
  })
  return site
}
