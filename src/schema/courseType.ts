import {defineField, defineType} from 'sanity'

import {BookIcon} from '../icons'
import {CLERK_TYPES} from './names'

/** `course`, for Studios that have no grantable type of their own (`includeCourseType: true`). */
export const courseType = defineType({
  name: CLERK_TYPES.course,
  title: 'Course',
  type: 'document',
  icon: BookIcon,
  fields: [
    defineField({
      name: 'title',
      title: 'Title',
      type: 'string',
      validation: (rule) => rule.required(),
    }),
    defineField({
      name: 'slug',
      title: 'Slug',
      type: 'slug',
      description: 'Written to Clerk when an entitlement grants this course.',
      options: {source: 'title', maxLength: 64},
      validation: (rule) => rule.required(),
    }),
    defineField({name: 'description', title: 'Description', type: 'text', rows: 3}),
  ],
  preview: {select: {title: 'title', subtitle: 'slug.current'}},
})
