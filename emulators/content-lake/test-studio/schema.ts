import {defineField, defineType} from 'sanity'

const course = defineType({
  name: 'course',
  title: 'Course',
  type: 'document',
  fields: [
    defineField({name: 'title', type: 'string'}),
    defineField({name: 'slug', type: 'slug', options: {source: 'title'}}),
  ],
})

const plan = defineType({
  name: 'plan',
  title: 'Plan',
  type: 'document',
  fields: [
    defineField({name: 'title', type: 'string'}),
    defineField({
      name: 'courses',
      type: 'array',
      of: [{type: 'reference', to: [{type: 'course'}]}],
    }),
  ],
})

export const schemaTypes = [course, plan]
