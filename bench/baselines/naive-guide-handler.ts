/**
 * The integration guide's naive webhook handler (see /work/shared/reference/clerk-sanity-guide.txt,
 * "Code example"), kept as the baseline the proxy is measured against: fetch ONE entitlement with
 * one GROQ query, write its fields to Clerk with one `updateUserMetadata` call, nothing else.
 *
 * Faithful to the guide except for field names, which follow this project's schema so both write
 * the same values: `plan` and `role` are references here (the guide's are strings), and granted
 * courses live in `grants` (the guide's `courses`). It keeps the guide's flaws on purpose: one
 * entitlement wins over all others, no drafts check, no revocation, a write on every call.
 */
import {createClerkClient} from '@clerk/backend'
import {createClient, type ClientConfig} from '@sanity/client'

export interface NaiveGuideHandlerOptions {
  sanity: ClientConfig
  clerk: {secretKey: string; apiUrl: string}
}

interface GuideEntitlement {
  clerkUserId?: string | null
  plan?: string | null
  role?: string | null
  courseSlugs?: string[] | null
}

/** `POST {documentId}` → one GROQ query, one Clerk metadata write. */
export function createNaiveGuideHandler(
  options: NaiveGuideHandlerOptions,
): (request: Request) => Promise<Response> {
  const sanity = createClient({...options.sanity, useCdn: false})
  const clerk = createClerkClient({...options.clerk, telemetry: {disabled: true}})

  return async function POST(request: Request): Promise<Response> {
    const {documentId} = (await request.json()) as {documentId: string}
    const entitlement = await sanity.fetch<GuideEntitlement | null>(
      `*[_id == $id][0]{
  clerkUserId,
  "plan": plan->key,
  "role": role->key,
  "courseSlugs": grants[]->slug.current
}`,
      {id: documentId},
    )
    if (!entitlement?.clerkUserId) {
      return Response.json({skipped: true})
    }
    await clerk.users.updateUserMetadata(entitlement.clerkUserId, {
      publicMetadata: {
        plan: entitlement.plan,
        role: entitlement.role,
        courseSlugs: entitlement.courseSlugs ?? [],
      },
    })
    return Response.json({synced: true})
  }
}
