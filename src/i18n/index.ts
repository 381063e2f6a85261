import {
  defineLocaleResourceBundle,
  useTranslation,
  type LocaleResourceBundle,
  type TFunction,
} from 'sanity'

export type {ClerkLocaleResourceKeys} from './resources/en-US'

/**
 * The plugin's i18n namespace. Every string the plugin shows lives under it, so a locale plugin
 * (or a Studio's own `i18n.bundles`) can translate or reword it without touching the plugin.
 *
 * @public
 */
export const clerkLocaleNamespace = 'sanity-plugin-clerk' as const

/**
 * US English, the Studio's default locale and the fallback for every other one. Loaded lazily,
 * on the first render that needs the namespace.
 *
 * @public
 */
export const clerkUsEnglishLocaleBundle: LocaleResourceBundle = defineLocaleResourceBundle({
  locale: 'en-US',
  namespace: clerkLocaleNamespace,
  resources: () => import('./resources/en-US'),
})

/**
 * German, shipped complete as proof that every string is translatable. It shows when the Studio
 * has a `de-DE` locale (for example `@sanity/locale-de-de`) and the editor picks it.
 *
 * @public
 */
export const clerkGermanLocaleBundle: LocaleResourceBundle = defineLocaleResourceBundle({
  locale: 'de-DE',
  namespace: clerkLocaleNamespace,
  resources: () => import('./resources/de-DE'),
})

/** The bundles the plugin registers through its `i18n.bundles` option. */
export const clerkLocaleBundles: LocaleResourceBundle[] = [
  clerkUsEnglishLocaleBundle,
  clerkGermanLocaleBundle,
]

/** The plugin's translator, bound to {@link clerkLocaleNamespace}. */
export type ClerkT = TFunction<typeof clerkLocaleNamespace, undefined>

/** `useTranslation` bound to the plugin's namespace. */
export function useClerkTranslation(): {t: ClerkT} {
  return useTranslation(clerkLocaleNamespace)
}
