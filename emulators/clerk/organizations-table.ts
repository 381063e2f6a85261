/** The organizations of the emulated instance, in creation order and by slug. */
import {identifierTaken, notFound, paramInvalid, paramMissing} from './errors'
import {
  applyMetadataUpdate,
  assertMetadataSize,
  type JsonObject,
  type MetadataField,
  type MetadataUpdate,
} from './metadata'
import {CreationOrderedList, type Ordered} from './ordered-list'
import {mintId} from './random'
import type {OrganizationJson} from './resources'
import {slugify} from './seed-kit'
import {
  deepFreeze,
  pickMetadata,
  type Page,
  type SortOrder,
  type StoreContext,
} from './store-context'
import {compareSortValues} from './user-filter'

export interface CreateOrganizationInput {
  id?: string
  name: string
  slug?: string | null
  created_by?: string | null
  public_metadata?: JsonObject | null
  private_metadata?: JsonObject | null
  max_allowed_memberships?: number | null
  created_at?: number
}

export interface UpdateOrganizationInput {
  name?: string | null
  slug?: string | null
  max_allowed_memberships?: number | null
  admin_delete_enabled?: boolean | null
}

export type OrganizationSortKey = 'created_at' | 'name' | 'members_count'

export interface OrganizationFilter {
  query?: string
  organizationIds?: {include: string[]; exclude: string[]}
  userIds?: {include: string[]; exclude: string[]}
}

/** What the organizations table asks of the rest of the store. */
export interface OrganizationNeighbours {
  userExists(userId: string): boolean
  memberIdsOf(organizationId: string): Iterable<string>
  membersCount(organizationId: string): number
}

interface OrganizationEntry extends Ordered {
  json: OrganizationJson
}

const ORGANIZATION_ID = /^org_[A-Za-z0-9]+$/
const SLUG = /^[a-z0-9-]+$/
const ORGANIZATION_METADATA_FIELDS: readonly MetadataField[] = [
  'public_metadata',
  'private_metadata',
]

export class OrganizationsTable {
  readonly #context: StoreContext
  readonly #neighbours: OrganizationNeighbours
  #organizations = new Map<string, OrganizationEntry>()
  #organizationsInOrder = new CreationOrderedList<OrganizationEntry>()
  #organizationIdBySlug = new Map<string, string>()

  constructor(context: StoreContext, neighbours: OrganizationNeighbours) {
    this.#context = context
    this.#neighbours = neighbours
  }

  get size(): number {
    return this.#organizations.size
  }

  clear(): void {
    this.#organizations.clear()
    this.#organizationsInOrder.clear()
    this.#organizationIdBySlug.clear()
  }

  /** Creates the record only; the store adds the creator's membership. */
  create(input: CreateOrganizationInput): OrganizationJson {
    const context = this.#context
    const id = input.id ?? mintId('org', context.random)
    if (!ORGANIZATION_ID.test(id)) throw paramInvalid('id', `${id} is not a valid organization id.`)
    if (this.#organizations.has(id)) {
      throw identifierTaken('id', `An organization with id ${id} already exists.`)
    }
    const name = input.name?.trim()
    if (!name) throw paramMissing('name')
    const slug = input.slug ?? this.#freeSlug(slugify(name) || 'organization')
    this.#assertSlugFree(slug)
    if (input.created_by && !this.#neighbours.userExists(input.created_by)) {
      throw notFound('User')
    }
    const metadata = {
      public_metadata: input.public_metadata ?? {},
      private_metadata: input.private_metadata ?? {},
    }
    assertMetadataSize(metadata, context.metadataLimit)
    const createdAt = input.created_at ?? context.now()
    const organization: OrganizationJson = {
      object: 'organization',
      id,
      name,
      slug,
      image_url: `${context.imageOrigin}/__emulator/avatars/${id}.svg`,
      has_image: false,
      max_allowed_memberships: input.max_allowed_memberships ?? 0,
      admin_delete_enabled: true,
      ...metadata,
      created_by: input.created_by ?? '',
      pending_invitations_count: 0,
      created_at: createdAt,
      updated_at: createdAt,
    }
    const entry: OrganizationEntry = {
      json: deepFreeze(organization),
      createdAt,
      seq: context.nextSeq(),
    }
    this.#organizations.set(id, entry)
    this.#organizationsInOrder.insert(entry)
    this.#organizationIdBySlug.set(slug, id)
    return entry.json
  }

  /** By id, or by slug as `GET /organizations/{id_or_slug}` allows. */
  get(idOrSlug: string): OrganizationJson | undefined {
    const id = this.#organizationIdBySlug.get(idOrSlug) ?? idOrSlug
    return this.#organizations.get(id)?.json
  }

  /** The organization by id or slug, or Clerk's `resource_not_found`. */
  require(idOrSlug: string): OrganizationJson {
    return this.#entry(idOrSlug).json
  }

  /** See {@link ClerkStore.updateOrganization}. */
  update(
    id: string,
    changes: UpdateOrganizationInput,
    replaceMetadata: MetadataUpdate = {},
  ): OrganizationJson {
    const entry = this.#entry(id)
    const current = entry.json
    const slug = changes.slug ?? current.slug
    if (slug !== current.slug) this.#assertSlugFree(slug)
    const name = changes.name?.trim() ?? current.name
    if (!name) throw paramInvalid('name', 'name must not be empty.')
    const metadata = applyMetadataUpdate(
      current,
      pickMetadata(replaceMetadata, ORGANIZATION_METADATA_FIELDS),
      'replace',
    )
    assertMetadataSize(
      pickMetadata(metadata, ORGANIZATION_METADATA_FIELDS),
      this.#context.metadataLimit,
    )
    this.#organizationIdBySlug.delete(current.slug)
    this.#organizationIdBySlug.set(slug, entry.json.id)
    return this.#replace(entry, {
      ...current,
      ...metadata,
      name,
      slug,
      max_allowed_memberships: changes.max_allowed_memberships ?? current.max_allowed_memberships,
      admin_delete_enabled: changes.admin_delete_enabled ?? current.admin_delete_enabled,
    })
  }

  updateMetadata(id: string, update: MetadataUpdate, mode: 'merge' | 'replace'): OrganizationJson {
    const entry = this.#entry(id)
    const fields = ORGANIZATION_METADATA_FIELDS
    const next = applyMetadataUpdate(entry.json, pickMetadata(update, fields), mode)
    assertMetadataSize(pickMetadata(next, fields), this.#context.metadataLimit)
    return this.#replace(entry, {...entry.json, ...next})
  }

  /** Removes the record only; the store removes its memberships first. */
  delete(id: string): OrganizationJson {
    const entry = this.#entry(id)
    this.#organizations.delete(entry.json.id)
    this.#organizationsInOrder.remove(entry)
    this.#organizationIdBySlug.delete(entry.json.slug)
    return entry.json
  }

  list(
    filter: OrganizationFilter,
    order: SortOrder<OrganizationSortKey>,
    page: Page,
  ): {data: OrganizationJson[]; totalCount: number} {
    const query = filter.query?.toLowerCase()
    const matching = [...this.#organizationsInOrder.iterate(true)].filter(({json}) => {
      const members = [...this.#neighbours.memberIdsOf(json.id)]
      return (
        (!query ||
          json.id === filter.query ||
          json.name.toLowerCase().includes(query) ||
          json.slug.includes(query)) &&
        (!filter.organizationIds ||
          ((filter.organizationIds.include.length === 0 ||
            filter.organizationIds.include.includes(json.id)) &&
            !filter.organizationIds.exclude.includes(json.id))) &&
        (!filter.userIds ||
          ((filter.userIds.include.length === 0 ||
            members.some((userId) => filter.userIds?.include.includes(userId))) &&
            !members.some((userId) => filter.userIds?.exclude.includes(userId))))
      )
    })
    if (order.key !== 'created_at') {
      const valueOf = ({json}: OrganizationEntry) =>
        order.key === 'name' ? json.name.toLowerCase() : this.#neighbours.membersCount(json.id)
      matching.sort((a, b) => compareSortValues(valueOf(a), valueOf(b)))
      if (order.descending) matching.reverse()
    } else if (!order.descending) {
      matching.reverse()
    }
    return {
      data: matching.slice(page.offset, page.offset + page.limit).map(({json}) => json),
      totalCount: matching.length,
    }
  }

  #entry(idOrSlug: string): OrganizationEntry {
    const entry = this.#organizations.get(this.#organizationIdBySlug.get(idOrSlug) ?? idOrSlug)
    if (!entry) throw notFound('Organization')
    return entry
  }

  #replace(entry: OrganizationEntry, organization: OrganizationJson): OrganizationJson {
    entry.json = deepFreeze({...organization, updated_at: this.#context.now()})
    return entry.json
  }

  #assertSlugFree(slug: string): void {
    if (!SLUG.test(slug)) {
      throw paramInvalid('slug', 'Slugs contain only lowercase letters, digits and "-".')
    }
    if (this.#organizationIdBySlug.has(slug)) {
      throw identifierTaken('slug', 'That slug is taken. Please try another.')
    }
  }

  #freeSlug(base: string): string {
    let slug = base
    for (let n = 2; this.#organizationIdBySlug.has(slug); n++) slug = `${base}-${n}`
    return slug
  }
}
