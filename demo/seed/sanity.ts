/**
 * The demo's Sanity dataset: plans, roles, courses and entitlements. Entitlements point at people
 * and organizations of the Clerk seed, so the two sides of the demo describe the same world.
 */
import {demoOrganization, demoUser, type DemoClerkSeed} from './clerk'

/** A document as stored in the Content Lake (the seed only needs these system fields). */
export interface SeedDocument {
  _id: string
  _type: string
  [field: string]: unknown
}

interface Reference {
  _type: 'reference'
  _ref: string
  _key?: string
}

const ref = (id: string, key?: string): Reference =>
  key ? {_type: 'reference', _ref: id, _key: key} : {_type: 'reference', _ref: id}

export const PLANS = [
  {key: 'free', title: 'Free', rank: 0},
  {key: 'pro', title: 'Pro', rank: 10},
  {key: 'enterprise', title: 'Enterprise', rank: 20},
] as const

export const ROLES = [
  {key: 'learner', title: 'Learner', rank: 0},
  {key: 'editor', title: 'Editor', rank: 10},
  {key: 'admin', title: 'Administrator', rank: 20},
] as const

export const COURSES = [
  {slug: 'groq-fundamentals', title: 'GROQ Fundamentals', description: 'Query content like a pro.'},
  {
    slug: 'structured-content',
    title: 'Structured Content 101',
    description: 'Model once, publish everywhere.',
  },
  {slug: 'portable-text', title: 'Portable Text in Depth', description: 'Rich text as data.'},
  {
    slug: 'auth-with-clerk',
    title: 'Authentication with Clerk',
    description: 'Sign-in, sessions and organizations.',
  },
  {slug: 'edge-functions', title: 'Edge Functions', description: 'Run code close to your users.'},
  {slug: 'design-systems', title: 'Design Systems', description: 'Components, tokens and themes.'},
  {
    slug: 'data-visualization',
    title: 'Data Visualization',
    description: 'Charts people understand.',
  },
  {slug: 'accessibility', title: 'Accessible Interfaces', description: 'Build for everyone.'},
] as const

export type PlanKey = (typeof PLANS)[number]['key']
export type RoleKey = (typeof ROLES)[number]['key']
export type CourseSlug = (typeof COURSES)[number]['slug']

export const planId = (key: PlanKey): string => `plan-${key}`
export const roleId = (key: RoleKey): string => `role-${key}`
export const courseId = (slug: CourseSlug): string => `course-${slug}`

interface EntitlementSpec {
  id: string
  title: string
  /** `email`: a grant before sign-up, to an address no demo user has. */
  subject: {user: string} | {organization: string} | {email: string}
  plan?: PlanKey
  role?: RoleKey
  courses?: CourseSlug[]
  validFrom?: string
  validUntil?: string
  notes?: string
  /** Stored only as a draft: drafts never grant, which the demo shows. */
  draftOnly?: boolean
}

/** Builds one entitlement document in the shape the plugin's schema defines. */
export function entitlementDocument(seed: DemoClerkSeed, spec: EntitlementSpec): SeedDocument {
  const subject =
    'user' in spec.subject
      ? {clerkUserId: demoUser(seed, spec.subject.user).id}
      : 'email' in spec.subject
        ? {clerkEmail: spec.subject.email}
        : {clerkOrganizationId: demoOrganization(seed, spec.subject.organization).id}
  const document: SeedDocument = {
    _id: spec.draftOnly ? `drafts.${spec.id}` : spec.id,
    _type: 'clerkEntitlement',
    title: spec.title,
    ...subject,
  }
  if (spec.plan) document.plan = ref(planId(spec.plan))
  if (spec.role) document.role = ref(roleId(spec.role))
  if (spec.courses) document.grants = spec.courses.map((slug) => ref(courseId(slug), slug))
  if (spec.validFrom) document.validFrom = spec.validFrom
  if (spec.validUntil) document.validUntil = spec.validUntil
  if (spec.notes) document.notes = spec.notes
  return document
}

/**
 * Entitlements of the demo. People the journeys change (Grace, Alan, Barbara, Katherine, Linus,
 * Edsger) start with none, so each journey owns its subject; Margaret starts synced so the drift
 * journey has something to break.
 */
const ENTITLEMENTS: EntitlementSpec[] = [
  {
    id: 'entitlement-hedy-lamarr-by-email',
    title: 'Hedy Lamarr: Pro before sign-up',
    subject: {email: 'hedy.lamarr@example.org'},
    plan: 'pro',
    courses: ['groq-fundamentals'],
    notes: 'From the sales cohort list; she has no Clerk account yet.',
  },
  {
    id: 'entitlement-claude-shannon-by-email',
    title: 'Claude Shannon: Free before sign-up',
    subject: {email: 'claude.shannon@example.org'},
    plan: 'free',
  },
  {
    id: 'entitlement-ada-lovelace',
    title: 'Ada Lovelace: Pro author',
    subject: {user: 'ada.lovelace@example.com'},
    plan: 'pro',
    role: 'editor',
    courses: ['groq-fundamentals', 'structured-content', 'portable-text'],
    notes: 'Course author since the beta.',
  },
  {
    id: 'entitlement-northwind-academy',
    title: 'Northwind Academy: Enterprise licence',
    subject: {organization: 'northwind-academy'},
    plan: 'enterprise',
    courses: ['groq-fundamentals', 'auth-with-clerk', 'edge-functions', 'accessibility'],
  },
  {
    id: 'entitlement-acme-learning',
    title: 'Acme Learning: Pro team',
    subject: {organization: 'acme-learning'},
    plan: 'pro',
    courses: ['design-systems'],
  },
  {
    id: 'entitlement-margaret-hamilton',
    title: 'Margaret Hamilton: Pro',
    subject: {user: 'margaret.hamilton@example.com'},
    plan: 'pro',
    courses: ['edge-functions', 'data-visualization'],
  },
  {
    id: 'entitlement-donald-knuth',
    title: 'Donald Knuth: Enterprise admin',
    subject: {user: 'donald.knuth@example.com'},
    plan: 'enterprise',
    role: 'admin',
  },
  {
    id: 'entitlement-radia-perlman',
    title: 'Radia Perlman: expired trial',
    subject: {user: 'radia.perlman@example.com'},
    plan: 'pro',
    courses: ['accessibility'],
    validFrom: '2025-01-01T00:00:00.000Z',
    validUntil: '2025-02-01T00:00:00.000Z',
    notes: 'Trial ended; kept for the record. Grants nothing outside its window.',
  },
  {
    id: 'entitlement-ken-thompson',
    title: 'Ken Thompson: pending approval',
    subject: {user: 'ken.thompson@example.com'},
    plan: 'enterprise',
    draftOnly: true,
    notes: 'Draft: nothing is synced until it is published.',
  },
  {
    id: 'entitlement-frances-allen',
    title: 'Frances Allen: Free with one course',
    subject: {user: 'frances.allen@example.com'},
    plan: 'free',
    role: 'learner',
    courses: ['structured-content'],
  },
]

/**
 * Generates every document of the demo dataset. Extra entitlements for generated people make the
 * Access tool's lists look lived-in.
 */
export function generateSanityDocuments(seed: DemoClerkSeed): SeedDocument[] {
  const plans = PLANS.map((p) => ({_id: planId(p.key), _type: 'clerkPlan', ...p}))
  const roles = ROLES.map((r) => ({_id: roleId(r.key), _type: 'clerkRole', ...r}))
  const courses = COURSES.map((c) => ({
    _id: courseId(c.slug),
    _type: 'course',
    title: c.title,
    slug: {_type: 'slug', current: c.slug},
    description: c.description,
  }))
  const generatedPeople = seed.users.slice(-6)
  const extra: EntitlementSpec[] = generatedPeople.map((user, index) => {
    const course = COURSES[index % COURSES.length]?.slug ?? 'groq-fundamentals'
    return {
      id: `entitlement-${user.id.toLowerCase().replace(/_/g, '-')}`,
      title: `${user.firstName} ${user.lastName}: ${index % 2 ? 'Pro' : 'Free'}`,
      subject: {user: user.email},
      plan: index % 2 ? 'pro' : 'free',
      courses: [course],
    }
  })
  const entitlements = [...ENTITLEMENTS, ...extra].map((spec) => entitlementDocument(seed, spec))
  return [...plans, ...roles, ...courses, ...entitlements]
}
