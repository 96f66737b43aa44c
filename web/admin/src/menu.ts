// The console's navigation. Items without a route are future sections, shown disabled.
export interface MenuEntry {
  key: 'overview' | 'directory' | 'apps' | 'messages' | 'administrators'
  /** Route path inside the console; absent while the section does not exist yet. */
  to?: string
}

export const MENU: readonly MenuEntry[] = [
  { key: 'overview', to: '/' },
  { key: 'directory' },
  { key: 'apps' },
  { key: 'messages' },
  { key: 'administrators' },
]
