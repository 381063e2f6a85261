import type {ClerkT} from '../i18n'

/** A metadata value as an editor reads it: lists joined, an empty one in words, absent as "—". */
export function formatMetadataValue(t: ClerkT, value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (Array.isArray(value)) {
    return value.length ? value.map(String).join(', ') : t('value.empty-list')
  }
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Bytes as "312 B" or "1.2 KB". */
export function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`
}

/** An ISO instant in the editor's locale, or the raw text when it does not parse. */
export function formatInstant(iso: string | number): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString()
}
