/** Journey 8 on Studio 6 (`sanity@6.16.0`, `@sanity/ui` 4): see `installedJourney.ts`. */
import {describeInstalledStudio} from './installedJourney'

describeInstalledStudio(6, 4354)
