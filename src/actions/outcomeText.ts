import type {AccessChange, AccessItem, AccessSwitch} from '../../core/access'
import type {ClerkT} from '../i18n'
import {labelKey, type AccessLabels} from './accessOutcome'

/** Plan first, then role, then granted documents: the order editors read access in. */
function byKind(items: readonly AccessItem[]): AccessItem[] {
  const rank = ({key}: AccessItem) => (key === 'plan' ? 0 : key === 'role' ? 1 : 2)
  return [...items].sort((a, b) => rank(a) - rank(b))
}

function itemLabel(labels: AccessLabels, {key, value}: AccessItem): string {
  return labels.values[labelKey(key, value)] ?? value
}

function switchSentence(t: ClerkT, labels: AccessLabels, name: string, s: AccessSwitch): string {
  const values = {
    name,
    from: itemLabel(labels, {key: s.key, value: s.from}),
    to: itemLabel(labels, {key: s.key, value: s.to}),
  }
  return s.key === 'role' ? t('outcome.switched-role', values) : t('outcome.switched-plan', values)
}

/** The subject's name as editors know it, or its id when nobody knows better. */
export function subjectLabel(labels: AccessLabels, subject: string): string {
  return labels.subjects[subject] ?? subject
}

/**
 * One sentence per changed subject, e.g. "Barbara Liskov gained Pro and Accessible Interfaces".
 * Subjects whose access did not change are left out; an empty list means nothing changed.
 */
export function describeChanges(
  t: ClerkT,
  changes: readonly AccessChange[],
  labels: AccessLabels,
): string[] {
  return changes.flatMap((change) => {
    const name = subjectLabel(labels, change.subject)
    const gained = byKind(change.gained).map((item) => itemLabel(labels, item))
    const lost = byKind(change.lost).map((item) => itemLabel(labels, item))
    const parts: string[] = []
    if (gained.length && lost.length) parts.push(t('outcome.gained-and-lost', {name, gained, lost}))
    else if (gained.length) parts.push(t('outcome.gained', {name, items: gained}))
    else if (lost.length) parts.push(t('outcome.lost', {name, items: lost}))
    for (const s of change.switched) parts.push(switchSentence(t, labels, name, s))
    return parts
  })
}
