// One app's settings (docs/admin-api.md, "One app: its visible scope, allowlist and secret"): the
// app with its visible scope and IP allowlist, and for an administrator with its manage right the
// scope's and the allowlist's change and the secret's reset. The list of apps is listApps
// (api/admin.ts).
import { adminClient, API_BASE, listMembers, type App } from './admin'
import type { AppRight } from './session'

/** Who may see the app, receive its messages and be read by its token. */
export interface AppScope {
  /** Members by userid. */
  users: string[]
  /** Department ids, each with its whole subtree. */
  departments: number[]
  tags: number[]
}

export interface AppDetail extends App {
  updated_at: number
  right: AppRight
  /** Canonical entries (addresses and CIDR ranges); empty: any address. */
  ip_allowlist: string[]
  scope: AppScope
}

/** The server's limits on a scope and an allowlist. */
export const SCOPE_LIMITS = { users: 1000, departments: 100, tags: 100 } as const
export const ALLOWLIST_MAX = 200

const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [])
const ids = (list: unknown): number[] => (Array.isArray(list) ? list.filter((v): v is number => typeof v === 'number') : [])

function readDetail(value: AppDetail): AppDetail {
  const scope = (value.scope ?? {}) as Partial<AppScope>
  return {
    ...value,
    description: value.description ?? '',
    right: value.right === 'manage' ? 'manage' : 'send',
    ip_allowlist: strings(value.ip_allowlist),
    scope: { users: strings(scope.users), departments: ids(scope.departments), tags: ids(scope.tags) },
  }
}

const appPath = (agentid: number) => `${API_BASE}/apps/${encodeURIComponent(String(agentid))}`

export async function getApp(agentid: number, signal?: AbortSignal): Promise<AppDetail> {
  return readDetail(await adminClient.get<AppDetail>(appPath(agentid), { signal }))
}

/** Replaces the visible scope; the app as it now is. Needs the manage right. */
export async function setAppScope(agentid: number, scope: AppScope): Promise<AppDetail> {
  return readDetail(
    await adminClient.request<AppDetail>(`${appPath(agentid)}/scope`, { method: 'PUT', body: scope }),
  )
}

/** Replaces the IP allowlist ([] = any address); the app with the entries in canonical form. */
export async function setAppAllowlist(agentid: number, entries: string[]): Promise<AppDetail> {
  return readDetail(
    await adminClient.request<AppDetail>(`${appPath(agentid)}/allowlist`, {
      method: 'PUT',
      body: { ip_allowlist: entries },
    }),
  )
}

/** A new secret, shown this once: the old one and every token it gave stop working. */
export async function resetAppSecret(agentid: number): Promise<string> {
  return (await adminClient.post<{ agentid: number; secret: string }>(`${appPath(agentid)}/secret`)).secret
}

/** Allowlist text as the admin types it (one entry a line; commas and spaces separate too). */
export function allowlistEntries(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
}

// How many members' names are looked up for a scope's list, and how many look-ups at once: the
// scope holds userids only, and the member search finds one userid a call.
const NAME_LOOKUPS = 100
const LOOKUPS_AT_ONCE = 6

/**
 * The names of the members with these userids, as far as the caller sees them (a scoped
 * administrator gets only their scope's members); a userid not found is left out. At most the
 * first 100 userids are looked up.
 */
export async function memberNames(userids: readonly string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const names = new Map<string, string>()
  const wanted = userids.slice(0, NAME_LOOKUPS)
  let next = 0
  async function worker(): Promise<void> {
    while (next < wanted.length && !signal?.aborted) {
      const userid = wanted[next++]!
      try {
        const page = await listMembers({ q: userid, limit: 50 }, signal)
        const match = page.members.find((m) => m.userid.toLowerCase() === userid.toLowerCase())
        if (match) names.set(userid, match.name)
      } catch {
        // Not readable (gone, outside the caller's scope, or the call failed): shown by userid.
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, wanted.length) }, worker))
  return names
}
