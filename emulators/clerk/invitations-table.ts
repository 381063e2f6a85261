/**
 * Application invitations (`/v1/invitations`): one pending invitation per address, none for an
 * address a user already has, expiring after `expires_in_days` (default 30). Status is derived
 * when read, so an invitation turns `expired` with the clock alone.
 */
import {ClerkApiError, notFound, paramInvalid} from './errors'
import {assertMetadataSize, type JsonObject} from './metadata'
import {CreationOrderedList, type Ordered} from './ordered-list'
import {mintId} from './random'
import type {InvitationJson} from './resources'
import {deepFreeze, type Page, type SortOrder, type StoreContext} from './store-context'
import {compareSortValues} from './user-filter'

/** `POST /invitations` body fields the emulator models, plus ms `created_at` for seeding. */
export interface CreateInvitationInput {
  email_address: string
  public_metadata?: JsonObject | null
  redirect_url?: string | null
  notify?: boolean | null
  ignore_existing?: boolean | null
  expires_in_days?: number | null
  template_slug?: 'invitation' | 'waitlist_invitation'
  created_at?: number
}

export type InvitationStatus = InvitationJson['status']
export type InvitationSortKey = 'created_at' | 'email_address' | 'expires_at'

export interface InvitationFilter {
  status?: InvitationStatus
  query?: string
}

/** What the invitations table asks of the rest of the store. */
export interface InvitationNeighbours {
  /** Throws Clerk's error when the address is malformed or a user already has it. */
  assertEmailFree(email: string): void
}

interface InvitationEntry extends Ordered {
  json: Omit<InvitationJson, 'status'> & {accepted: boolean}
  redirectUrl: string | null
}

const DAY_MS = 24 * 60 * 60 * 1000
const DEFAULT_EXPIRY_DAYS = 30

export class InvitationsTable {
  readonly #context: StoreContext
  readonly #neighbours: InvitationNeighbours
  #invitations = new Map<string, InvitationEntry>()
  #inOrder = new CreationOrderedList<InvitationEntry>()

  constructor(context: StoreContext, neighbours: InvitationNeighbours) {
    this.#context = context
    this.#neighbours = neighbours
  }

  get size(): number {
    return this.#invitations.size
  }

  clear(): void {
    this.#invitations.clear()
    this.#inOrder.clear()
  }

  create(input: CreateInvitationInput): InvitationJson {
    const context = this.#context
    const email = input.email_address.trim().toLowerCase()
    const days = input.expires_in_days ?? DEFAULT_EXPIRY_DAYS
    if (!Number.isInteger(days) || days < 1 || days > 365) {
      throw paramInvalid('expires_in_days', 'expires_in_days must be between 1 and 365.')
    }
    if (!input.ignore_existing) {
      this.#neighbours.assertEmailFree(email)
      if (this.#pendingFor(email)) {
        throw new ClerkApiError(
          400,
          'duplicate_record',
          'duplicate invitation',
          'There are already pending invitations for the following email addresses: ' + email,
          {meta: {param_name: 'email_address'}},
        )
      }
    }
    const public_metadata = input.public_metadata ?? {}
    assertMetadataSize({public_metadata}, context.metadataLimit)
    const createdAt = input.created_at ?? context.now()
    const id = mintId('inv', context.random)
    const entry: InvitationEntry = {
      json: deepFreeze({
        object: 'invitation',
        id,
        email_address: email,
        public_metadata,
        revoked: false,
        accepted: false,
        url: `${context.imageOrigin}/__emulator/invitations/${id}/accept`,
        expires_at: createdAt + days * DAY_MS,
        created_at: createdAt,
        updated_at: createdAt,
      }),
      redirectUrl: input.redirect_url ?? null,
      createdAt,
      seq: context.nextSeq(),
    }
    this.#invitations.set(id, entry)
    this.#inOrder.insert(entry)
    return this.#json(entry)
  }

  get(id: string): InvitationJson | undefined {
    const entry = this.#invitations.get(id)
    return entry && this.#json(entry)
  }

  /** Where the invitee lands after accepting, as the invitation was created with. */
  redirectUrlOf(id: string): string | null {
    return this.#entry(id).redirectUrl
  }

  /** Only pending invitations can be revoked, as in Clerk. */
  revoke(id: string): InvitationJson {
    const entry = this.#entry(id)
    const status = this.#statusOf(entry)
    if (status !== 'pending') {
      throw new ClerkApiError(
        400,
        'revoke_invitation_failed',
        'invitation cannot be revoked',
        `Only pending invitations can be revoked; this one is ${status}.`,
      )
    }
    return this.#update(entry, {revoked: true})
  }

  /** The invitation, when it can still be used to sign up; Clerk's error otherwise. */
  requirePending(id: string): InvitationJson {
    const json = this.#json(this.#entry(id))
    if (json.status !== 'pending') {
      throw new ClerkApiError(
        400,
        'ticket_invalid',
        'invitation cannot be used',
        `This invitation is ${json.status} and can no longer be used to sign up.`,
      )
    }
    return json
  }

  /** Marks a pending invitation accepted; the store creates the user first. */
  accept(id: string): InvitationJson {
    this.requirePending(id)
    return this.#update(this.#entry(id), {accepted: true})
  }

  list(
    filter: InvitationFilter,
    order: SortOrder<InvitationSortKey>,
    page: Page,
  ): {data: InvitationJson[]; totalCount: number} {
    const query = filter.query?.toLowerCase()
    const matching = this.#inOrder
      .toArray()
      .map((entry) => this.#json(entry))
      .filter(
        (json) =>
          (filter.status === undefined || json.status === filter.status) &&
          // "Returns all non-revoked invitations" unless revoked ones are asked for.
          (filter.status === 'revoked' || json.status !== 'revoked') &&
          (!query || json.id === filter.query || json.email_address.includes(query)),
      )
    matching.sort((a, b) => compareSortValues(a[order.key], b[order.key]))
    if (order.descending) matching.reverse()
    return {
      data: matching.slice(page.offset, page.offset + page.limit),
      totalCount: matching.length,
    }
  }

  #pendingFor(email: string): InvitationEntry | undefined {
    for (const entry of this.#invitations.values()) {
      if (entry.json.email_address === email && this.#statusOf(entry) === 'pending') return entry
    }
    return undefined
  }

  #entry(id: string): InvitationEntry {
    const entry = this.#invitations.get(id)
    if (!entry) throw notFound('Invitation')
    return entry
  }

  #statusOf(entry: InvitationEntry): InvitationStatus {
    const {json} = entry
    if (json.revoked) return 'revoked'
    if (json.accepted) return 'accepted'
    if (json.expires_at !== null && json.expires_at <= this.#context.now()) return 'expired'
    return 'pending'
  }

  #update(entry: InvitationEntry, changes: {revoked?: boolean; accepted?: boolean}) {
    entry.json = deepFreeze({...entry.json, ...changes, updated_at: this.#context.now()})
    return this.#json(entry)
  }

  #json(entry: InvitationEntry): InvitationJson {
    const {accepted: _accepted, ...json} = entry.json
    return {...json, status: this.#statusOf(entry)}
  }
}
