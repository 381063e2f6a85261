import {defineArrayMember, defineField, defineType, type DocumentDefinition} from 'sanity'

import {ClerkEmailInput} from '../components/ClerkEmailInput'
import {EntitlementFormInput} from '../components/EntitlementFormInput'
import type {ResolvedClerkAccessConfig} from '../config'
import {LockIcon} from '../icons'
import {SANITY_API_VERSION} from '../studioClient'
import {
  budgetWarning,
  validateEmail,
  validateSubjectChoice,
  validateValidityWindow,
  type EntitlementDraft,
} from './entitlementValidation'
import {CLERK_TYPES, ENTITLEMENT_FIELDS} from './names'

interface SnapshotSelection {
  title?: string
  userId?: string
  organizationId?: string
  email?: string
  snapshot?: {subjectId?: string; name?: string; email?: string; imageUrl?: string}
  planTitle?: string
  roleTitle?: string
}

function SubjectAvatar({imageUrl}: {imageUrl: string}) {
  return <img src={imageUrl} alt="" style={{width: '100%', height: '100%', objectFit: 'cover'}} />
}

/** Title, "plan · role · who" subtitle and avatar; the snapshot counts only if it is current. */
export function prepareEntitlementPreview(selection: SnapshotSelection) {
  const subject = selection.userId || selection.organizationId
  const snapshot = selection.snapshot?.subjectId === subject ? selection.snapshot : undefined
  const who = snapshot?.name || snapshot?.email || subject || selection.email || 'No subject yet'
  const imageUrl = snapshot?.imageUrl
  return {
    title: selection.title || who,
    subtitle: [selection.planTitle, selection.roleTitle, selection.title ? who : null]
      .filter(Boolean)
      .join(' · '),
    media: imageUrl ? <SubjectAvatar imageUrl={imageUrl} /> : LockIcon,
  }
}

/** `clerkEntitlement`: grants a plan, a role and documents to one Clerk user or organization. */
export function entitlementType(config: ResolvedClerkAccessConfig): DocumentDefinition {
  const grantable = config.grantableTypes.map((g) => g.type)
  return defineType({
    name: CLERK_TYPES.entitlement,
    title: 'Clerk entitlement',
    type: 'document',
    icon: LockIcon,
    components: {input: EntitlementFormInput},
    validation: (rule) => [
      rule.custom((_value, context) => validateSubjectChoice(context.document as EntitlementDraft)),
      rule
        .custom((_value, context) =>
          budgetWarning(
            context.document as EntitlementDraft | undefined,
            context.getClient({apiVersion: SANITY_API_VERSION}),
            config.rules,
          ),
        )
        .warning(),
    ],
    fields: [
      defineField({
        name: 'title',
        title: 'Title',
        type: 'string',
        description: 'For editors only, e.g. "Pro plan for Acme".',
      }),
      defineField({
        name: ENTITLEMENT_FIELDS.userId,
        title: 'Clerk user',
        type: CLERK_TYPES.userId,
        hidden: ({document}) =>
          (!!document?.[ENTITLEMENT_FIELDS.organizationId] ||
            !!document?.[ENTITLEMENT_FIELDS.email]) &&
          !document?.[ENTITLEMENT_FIELDS.userId],
      }),
      defineField({
        name: ENTITLEMENT_FIELDS.organizationId,
        title: 'Clerk organization',
        type: CLERK_TYPES.organizationId,
        description: 'Or grant to an organization instead of a single user.',
        hidden: ({document}) =>
          (!!document?.[ENTITLEMENT_FIELDS.userId] || !!document?.[ENTITLEMENT_FIELDS.email]) &&
          !document?.[ENTITLEMENT_FIELDS.organizationId],
      }),
      defineField({
        name: ENTITLEMENT_FIELDS.email,
        title: 'Email (no Clerk account needed yet)',
        type: 'string',
        description:
          'Or grant to an email address: it reaches whoever signs up with it, once they verify it.',
        components: {input: ClerkEmailInput},
        validation: (rule) => rule.custom(validateEmail),
        hidden: ({document}) =>
          (!!document?.[ENTITLEMENT_FIELDS.userId] ||
            !!document?.[ENTITLEMENT_FIELDS.organizationId]) &&
          !document?.[ENTITLEMENT_FIELDS.email],
      }),
      defineField({
        name: ENTITLEMENT_FIELDS.snapshot,
        title: 'Subject as last picked',
        type: 'object',
        description:
          'Name, email and avatar saved by the picker, for previews only (never synced).',
        readOnly: true,
        hidden: true,
        fields: [
          defineField({name: 'subjectId', type: 'string'}),
          defineField({name: 'name', type: 'string'}),
          defineField({name: 'email', type: 'string'}),
          defineField({name: 'imageUrl', type: 'url'}),
        ],
      }),
      defineField({
        name: 'plan',
        title: 'Plan',
        type: 'reference',
        to: [{type: CLERK_TYPES.plan}],
      }),
      defineField({
        name: 'role',
        title: 'Role',
        type: 'reference',
        to: [{type: CLERK_TYPES.role}],
      }),
      ...(grantable.length
        ? [
            defineField({
              name: 'grants',
              title: 'Grants',
              type: 'array',
              description: 'Published documents this subject may access.',
              of: [defineArrayMember({type: 'reference', to: grantable.map((type) => ({type}))})],
              validation: (rule) => rule.unique(),
            }),
          ]
        : []),
      defineField({
        name: 'validFrom',
        title: 'Valid from',
        type: 'datetime',
        description: 'Optional. Before this, the entitlement grants nothing.',
      }),
      defineField({
        name: 'validUntil',
        title: 'Valid until',
        type: 'datetime',
        description: 'Optional. From this moment on, the entitlement grants nothing.',
        validation: (rule) =>
          rule.custom((_value, context) =>
            validateValidityWindow(context.document as EntitlementDraft),
          ),
      }),
      defineField({
        name: 'notes',
        title: 'Notes',
        type: 'text',
        rows: 3,
        description: 'Internal notes. Never sent to Clerk.',
      }),
    ],
    preview: {
      select: {
        title: 'title',
        userId: ENTITLEMENT_FIELDS.userId,
        organizationId: ENTITLEMENT_FIELDS.organizationId,
        email: ENTITLEMENT_FIELDS.email,
        snapshot: ENTITLEMENT_FIELDS.snapshot,
        planTitle: 'plan.title',
        roleTitle: 'role.title',
      },
      prepare: prepareEntitlementPreview,
    },
  })
}
