import {measureSessionClaims, sessionTokenTemplate} from './template'

describe('sessionTokenTemplate', () => {
  it('has one shortcode per owned key without a namespace', () => {
    const {claims, json} = sessionTokenTemplate()
    expect(claims).toEqual({
      access: {
        user: {
          courseSlugs: '{{user.public_metadata.courseSlugs}}',
          plan: '{{user.public_metadata.plan}}',
          role: '{{user.public_metadata.role}}',
        },
        org: {
          courseSlugs: '{{org.public_metadata.courseSlugs}}',
          plan: '{{org.public_metadata.plan}}',
          role: '{{org.public_metadata.role}}',
        },
      },
    })
    expect(JSON.parse(json)).toEqual(claims)
  })

  it('takes the namespace whole, under the chosen claim', () => {
    expect(sessionTokenTemplate({namespace: 'sanity', claim: 'entitlements'}).claims).toEqual({
      entitlements: {
        user: '{{user.public_metadata.sanity}}',
        org: '{{org.public_metadata.sanity}}',
      },
    })
  })

  it('measures with the proxy’s rule against the 1.2 KB budget', () => {
    const {size, json} = sessionTokenTemplate()
    expect(size.publicBytes).toBe(new TextEncoder().encode(JSON.stringify(JSON.parse(json))).length)
    expect(size).toMatchObject({sessionBudget: 1200, overBudget: false})
    const many = {access: {user: {courseSlugs: Array.from({length: 120}, (_, i) => `course-${i}`)}}}
    expect(measureSessionClaims(many).overBudget).toBe(true)
    expect(measureSessionClaims(many, {sessionBudgetBytes: 4000}).overBudget).toBe(false)
  })
})
