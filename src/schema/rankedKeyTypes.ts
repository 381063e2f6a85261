import type {ComponentType} from 'react'
import {defineField, defineType} from 'sanity'

import {TagIcon, UsersIcon} from '../icons'
import {CLERK_TYPES} from './names'

/** The key written to Clerk: short, lowercase, so it stays cheap in session claims. */
export const METADATA_VALUE_KEY = /^[a-z0-9][a-z0-9_-]{0,31}$/

function rankedKeyType(name: string, typeTitle: string, icon: ComponentType, example: string) {
  return defineType({
    name,
    title: typeTitle,
    type: 'document',
    icon,
    fields: [
      defineField({
        name: 'title',
        title: 'Title',
        type: 'string',
        validation: (rule) => rule.required(),
      }),
      defineField({
        name: 'key',
        title: 'Key written to Clerk',
        type: 'string',
        description: `Short lowercase value apps read from Clerk metadata, e.g. "${example}".`,
        validation: (rule) =>
          rule
            .required()
            .regex(METADATA_VALUE_KEY, {name: 'lowercase key'})
            .error(`Use 1–32 lowercase letters, digits, "-" or "_", e.g. "${example}".`),
      }),
      defineField({
        name: 'rank',
        title: 'Rank',
        type: 'number',
        description: 'When several entitlements apply, the highest rank wins.',
        initialValue: 0,
        validation: (rule) => rule.required().integer(),
      }),
    ],
    preview: {
      select: {title: 'title', key: 'key', rank: 'rank'},
      prepare: ({title, key, rank}) => ({
        title: title || key || 'Untitled',
        subtitle: [key && `key: ${key}`, typeof rank === 'number' && `rank ${rank}`]
          .filter(Boolean)
          .join(' · '),
      }),
    },
    orderings: [
      {title: 'Rank, highest first', name: 'rankDesc', by: [{field: 'rank', direction: 'desc'}]},
    ],
  })
}

/** `clerkPlan`: a plan such as "Pro", written to Clerk as its `key`. */
export const clerkPlanType = rankedKeyType(CLERK_TYPES.plan, 'Clerk plan', TagIcon, 'pro')

/** `clerkRole`: a role such as "Editor", written to Clerk as its `key`. */
export const clerkRoleType = rankedKeyType(CLERK_TYPES.role, 'Clerk role', UsersIcon, 'editor')
