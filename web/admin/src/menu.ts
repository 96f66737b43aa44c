// The console's navigation. Items without a route are future sections, shown disabled; an item
// with a `need` is shown only to an administrator with that right (rights.ts).
import type { Need } from './rights'

export interface MenuEntry {
  key: 'overview' | 'directory' | 'apps' | 'messages' | 'identity' | 'audit' | 'administrators'
  /** Route path inside the console; absent while the section does not exist yet. */
  to?: string
  need?: Need
}

export const MENU: readonly MenuEntry[] = [
  { key: 'overview', to: '/' },
  { key: 'directory', to: '/directory', need: 'contacts' },
  { key: 'apps', to: '/apps', need: 'apps' },
  { key: 'messages', to: '/messages', need: 'apps' },
  { key: 'identity', to: '/identity', need: 'contacts-edit' },
  // Everyone: a scoped administrator sees the records of their own actions.
  { key: 'audit', to: '/audit' },
  { key: 'administrators', to: '/administrators', need: 'super' },
]

/** The menu entry a console path belongs to ('/directory/import' is under '/directory'). */
export function menuEntryFor(path: string): MenuEntry | undefined {
  let best: MenuEntry | undefined
  for (const entry of MENU) {
    if (!entry.to) continue
    const inside = entry.to === '/' ? path === '/' : path === entry.to || path.startsWith(`${entry.to}/`)
    if (inside && (!best || entry.to.length > best.to!.length)) best = entry
  }
  return best
}
