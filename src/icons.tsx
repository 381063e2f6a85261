/**
 * The plugin's icons, through the one `@sanity/icons` API that both Studio majors' copies share.
 * Studio 5 has `@sanity/icons` 3, whose root exports every icon by name and which has no per-icon
 * subpaths; Studio 6 has `@sanity/icons` 5, whose root keeps only type-only tombstones of those
 * names (undefined at runtime) and serves each icon from a subpath (`@sanity/icons/Lock`). Both
 * export `Icon` with a `symbol` (Sanity 6 itself renders icons this way), so every icon here is
 * `<Icon symbol=… />` from the host's copy.
 */
import {Icon, type IconSymbol} from '@sanity/icons'
import type {ComponentType, SVGProps} from 'react'

type IconProps = Omit<SVGProps<SVGSVGElement>, 'ref'>
type IconComponent = ComponentType<IconProps>

function symbolIcon(symbol: IconSymbol, displayName: string): IconComponent {
  const SymbolIcon = (props: IconProps) => <Icon {...props} symbol={symbol} />
  SymbolIcon.displayName = displayName
  return SymbolIcon
}

export const BookIcon: IconComponent = symbolIcon('book', 'BookIcon')
export const CloseIcon: IconComponent = symbolIcon('close', 'CloseIcon')
export const LockIcon: IconComponent = symbolIcon('lock', 'LockIcon')
export const SearchIcon: IconComponent = symbolIcon('search', 'SearchIcon')
export const SyncIcon: IconComponent = symbolIcon('sync', 'SyncIcon')
export const TagIcon: IconComponent = symbolIcon('tag', 'TagIcon')
export const UsersIcon: IconComponent = symbolIcon('users', 'UsersIcon')
