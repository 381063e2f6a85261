/**
 * Journey 8 on the oldest Studio 5 (`sanity@5.0.0`): the bottom of the `sanity ^5` peer range.
 * On demand only (`INSTALLED_STUDIO_OLDEST=1`): a third Studio install and build would add about
 * ten minutes to every CI run.
 */
import {describeInstalledStudio} from './installedJourney'

describeInstalledStudio(5, 4356, {
  template: 'studio-5.0.0',
  runIf: process.env.INSTALLED_STUDIO_OLDEST === '1',
})
