/**
 * Journey 1: an editor grants access. They create an entitlement, find a Clerk user in the
 * picker by part of the email, choose a plan and courses, and publish. Clerk then holds exactly
 * the computed metadata, and the Clerk panel shows it live with no drift.
 */
import {describe, it} from 'vitest'

import {grantProWithCourses} from './grant'
import {setUpJourney} from './support'

const journey = setUpJourney('journey-1')

describe('journey 1: an editor grants a plan and courses to a Clerk user', () => {
  it('publishes an entitlement and Clerk holds the metadata, shown live in the panel', async () => {
    await grantProWithCourses(journey(), journey().stack.studioUrl)
  })
})
