import {createInstance, type i18n} from 'i18next'
import {initReactI18next} from 'react-i18next'

import {clerkLocaleNamespace} from '../i18n'
import deDE from '../i18n/resources/de-DE'
import enUS from '../i18n/resources/en-US'

/** Locales the plugin ships; tests render in either. */
export type TestLocale = 'en-US' | 'de-DE'

const resourcesByLocale: Record<TestLocale, Record<string, string>> = {
  'en-US': enUS,
  'de-DE': deDE,
}

/**
 * An i18next instance like the Studio's: the plugin's namespace in the given locale with en-US as
 * fallback, loaded synchronously so the first render already has its strings. A key missing
 * from every locale renders as the key itself, which the tests would notice.
 */
export function createTestI18n(locale: TestLocale = 'en-US'): i18n {
  const instance = createInstance().use(initReactI18next)
  void instance.init({
    lng: locale,
    fallbackLng: 'en-US',
    ns: [clerkLocaleNamespace],
    defaultNS: clerkLocaleNamespace,
    resources: Object.fromEntries(
      Object.entries(resourcesByLocale).map(([id, res]) => [id, {[clerkLocaleNamespace]: res}]),
    ),
    interpolation: {escapeValue: false},
    initAsync: false,
  })
  return instance
}
