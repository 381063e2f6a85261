/** Journey 8 on Studio 5 (`sanity@5.31.2`, `@sanity/ui` 3): see `installedJourney.ts`. */
import {describeInstalledStudio} from './installedJourney'

describeInstalledStudio(5, 4355)
