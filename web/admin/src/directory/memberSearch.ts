// A remote member search for pickers: the directory's member search (name, pinyin, userid,
// mobile …, already cut to what the administrator sees), the latest keystroke winning, cancelled
// when the picker goes away. `keep` narrows what is offered (a send scope, say).
import { onBeforeUnmount, ref, shallowRef } from 'vue'
import { listMembers, type Member } from '../api/admin'

export const MEMBER_SEARCH_RESULTS = 20

export function useMemberSearch(keep: (m: Member) => boolean = () => true) {
  const found = shallowRef<Member[]>([])
  const searching = ref(false)
  /** A search was typed and answered (so "nothing found" rather than "type to search"). */
  const searched = ref(false)
  let call: AbortController | undefined
  onBeforeUnmount(() => call?.abort())

  /** Searches; resolves to every member the answer held (before `keep`), or null when a later
   * keystroke or an empty query superseded it, or it failed. */
  async function search(query: string): Promise<Member[] | null> {
    call?.abort()
    const q = query.trim()
    if (!q) {
      found.value = []
      searched.value = false
      searching.value = false
      return null
    }
    const mine = new AbortController()
    call = mine
    searching.value = true
    try {
      const page = await listMembers({ q, limit: MEMBER_SEARCH_RESULTS }, mine.signal)
      if (call !== mine) return null
      found.value = page.members.filter(keep)
      searched.value = true
      return page.members
    } catch {
      // Cancelled by the next keystroke, or failed: nothing to offer, the search may be typed again.
      if (call === mine) found.value = []
      return null
    } finally {
      if (call === mine) searching.value = false
    }
  }

  return { found, searching, searched, search }
}
