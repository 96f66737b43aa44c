// One app's settings (docs/admin-api.md, "One app: its settings, menu, visible scope, allowlist
// and secret"): the app with its settings, menu, visible scope and IP allowlist, and for an
// administrator with its manage right the change of each (closing the app too) and the secret's
// reset; its callback (docs/admin-api.md, "Callbacks") with the delivery log. The list of apps is
// listApps (api/admin.ts).
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

/** WeCom's leaf types of a menu button, in the order the editor offers them. */
export const MENU_LEAF_TYPES = [
  'click',
  'view',
  'scancode_push',
  'scancode_waitmsg',
  'pic_sysphoto',
  'pic_photo_or_album',
  'pic_weixin',
  'location_select',
  'view_miniprogram',
] as const
export type MenuLeafType = (typeof MENU_LEAF_TYPES)[number]

/** A button that does something: `key` for click, scancode_*, pic_* and location_select, `url`
 * for view, `appid` and `pagepath` for view_miniprogram. */
export interface MenuLeaf {
  type: MenuLeafType
  name: string
  key?: string
  url?: string
  appid?: string
  pagepath?: string
}

/** A top button that opens up to five leaves. */
export interface MenuSubmenu {
  name: string
  sub_button: MenuLeaf[]
}

export type MenuButton = MenuLeaf | MenuSubmenu

/** WeCom's menu JSON, as menu/create takes it and menu/get gives it. */
export interface AppMenu {
  button: MenuButton[]
}

export function isSubmenu(button: MenuButton): button is MenuSubmenu {
  return Array.isArray((button as Partial<MenuSubmenu>).sub_button)
}

/** Does a leaf of this type carry a key (the event's EventKey)? */
export function usesKey(type: MenuLeafType): boolean {
  return type !== 'view' && type !== 'view_miniprogram'
}

/** The server's limits on a menu (names, keys and urls in UTF-8 bytes). */
export const MENU_LIMITS = { buttons: 3, subButtons: 5, topName: 16, subName: 40, key: 128, url: 1024 } as const

/** The server's limits on the settings (name and description in characters, home_url in bytes). */
export const SETTINGS_LIMITS = { name: 32, descriptionMin: 4, descriptionMax: 120, homeUrl: 1024 } as const

export interface AppDetail extends App {
  updated_at: number
  right: AppRight
  /** Canonical entries (addresses and CIDR ranges); empty: any address. */
  ip_allowlist: string[]
  scope: AppScope
  /** Where the logo is served (`/media/img/…`); '' without one. */
  logo_url: string
  /** The trusted domain (host[:port]); '' when not set. */
  redirect_domain: string
  home_url: string
  /** 1: members' location is reported when they enter the app. */
  report_location_flag: 0 | 1
  isreportenter: boolean
  isreportuser: boolean
  /** null: the app has no menu. */
  menu: AppMenu | null
}

/** What a PATCH may change: what is left out stays as it is. */
export interface AppSettingsChange {
  name?: string
  description?: string
  redirect_domain?: string
  home_url?: string
  report_location_flag?: 0 | 1
  isreportenter?: boolean
  isreportuser?: boolean
  closed?: boolean
}

/** The server's limits on a scope and an allowlist. */
export const SCOPE_LIMITS = { users: 1000, departments: 100, tags: 100 } as const
export const ALLOWLIST_MAX = 200

const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [])
const ids = (list: unknown): number[] => (Array.isArray(list) ? list.filter((v): v is number => typeof v === 'number') : [])

const text = (value: unknown): string => (typeof value === 'string' ? value : '')

function readLeaf(value: unknown): MenuLeaf {
  const leaf = (value ?? {}) as Record<string, unknown>
  const type = (MENU_LEAF_TYPES as readonly unknown[]).includes(leaf.type) ? (leaf.type as MenuLeafType) : 'click'
  const read: MenuLeaf = { type, name: text(leaf.name) }
  for (const key of ['key', 'url', 'appid', 'pagepath'] as const) {
    if (typeof leaf[key] === 'string') read[key] = leaf[key]
  }
  return read
}

function readMenu(value: unknown): AppMenu | null {
  const buttons = (value as Partial<AppMenu> | null)?.button
  if (!Array.isArray(buttons)) return null
  return {
    button: buttons.map((b: unknown): MenuButton => {
      const sub = (b as Partial<MenuSubmenu> | null)?.sub_button
      return Array.isArray(sub) ? { name: text((b as MenuSubmenu).name), sub_button: sub.map(readLeaf) } : readLeaf(b)
    }),
  }
}

function readDetail(value: AppDetail): AppDetail {
  const scope = (value.scope ?? {}) as Partial<AppScope>
  return {
    ...value,
    description: value.description ?? '',
    right: value.right === 'manage' ? 'manage' : 'send',
    ip_allowlist: strings(value.ip_allowlist),
    scope: { users: strings(scope.users), departments: ids(scope.departments), tags: ids(scope.tags) },
    logo_url: text(value.logo_url),
    redirect_domain: text(value.redirect_domain),
    home_url: text(value.home_url),
    report_location_flag: value.report_location_flag === 1 ? 1 : 0,
    isreportenter: value.isreportenter === true,
    isreportuser: value.isreportuser === true,
    closed: value.closed === true,
    menu: readMenu(value.menu),
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

/** Changes the settings the change names (closing or reopening the app too); the app as it now is. */
export async function updateApp(agentid: number, change: AppSettingsChange): Promise<AppDetail> {
  return readDetail(await adminClient.patch<AppDetail>(appPath(agentid), change))
}

/** Replaces the menu; the app with the menu as stored (each leaf with its type's fields only). */
export async function setAppMenu(agentid: number, menu: AppMenu): Promise<AppDetail> {
  return readDetail(await adminClient.request<AppDetail>(`${appPath(agentid)}/menu`, { method: 'PUT', body: menu }))
}

/** Removes the menu (no menu is no error); the app with `menu: null`. */
export async function deleteAppMenu(agentid: number): Promise<AppDetail> {
  return readDetail(await adminClient.delete<AppDetail>(`${appPath(agentid)}/menu`))
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

// ---- The callback (docs/admin-api.md, "Callbacks") --------------------------------------------
// Where the app's events go (WeCom's 接收消息) and what was delivered there. Every call needs the
// app's manage right: the Token and EncodingAESKey are the app's secrets (403 with the send right).

/** The app's callback; `url: ''` when none is set (then `updated_at` is 0). */
export interface AppCallback {
  agentid: number
  url: string
  token: string
  encoding_aes_key: string
  updated_at: number
}

/** The server's limits on a callback: the URL in bytes, the Token and key in letters and digits. */
export const CALLBACK_LIMITS = { url: 1024, token: 32, key: 43 } as const

export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const
export type DeliveryState = (typeof DELIVERY_STATES)[number]

/** One event on its way to the app's URL, or delivered there. */
export interface CallbackDelivery {
  id: number
  /** `contact-<n>`, the X-Corphub-Event-Id the receiver sees (the same on every attempt). */
  event_id: string
  /** `change_contact/create_user` and the like, `subscribe`, `unsubscribe`. */
  kind: string
  /** Whose deliveries keep their order: a userid, `sys` for directory changes. */
  member: string
  state: DeliveryState
  attempts: number
  created_at: number
  delivered_at: number | null
  /** When a pending one is tried next (unix seconds); null otherwise. */
  next_attempt_at: number | null
  /** The receiver's HTTP status at the last attempt (0: no answer, or not tried yet). */
  last_status: number
  last_error: string
}

export interface DeliveryPage {
  deliveries: CallbackDelivery[]
  /** The `before` of the next page; null on the last. */
  next_before: number | null
}

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0)
const numOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null)

function readCallback(agentid: number, value: Partial<AppCallback> | null | undefined): AppCallback {
  return {
    agentid: num(value?.agentid) || agentid,
    url: text(value?.url),
    token: text(value?.token),
    encoding_aes_key: text(value?.encoding_aes_key),
    updated_at: num(value?.updated_at),
  }
}

function readDelivery(value: Partial<CallbackDelivery>): CallbackDelivery {
  const state = (DELIVERY_STATES as readonly unknown[]).includes(value.state) ? (value.state as DeliveryState) : 'pending'
  return {
    id: num(value.id),
    event_id: text(value.event_id),
    kind: text(value.kind),
    member: text(value.member),
    state,
    attempts: num(value.attempts),
    created_at: num(value.created_at),
    delivered_at: numOrNull(value.delivered_at),
    next_attempt_at: numOrNull(value.next_attempt_at),
    last_status: num(value.last_status),
    last_error: text(value.last_error),
  }
}

export async function getAppCallback(agentid: number, signal?: AbortSignal): Promise<AppCallback> {
  return readCallback(agentid, await adminClient.get<Partial<AppCallback>>(`${appPath(agentid)}/callback`, { signal }))
}

/**
 * Sets the callback. The server first calls the URL as WeCom does (a GET with a sealed echostr
 * the receiver must answer decrypted, within 5 seconds): nothing is kept unless it passes, and a
 * 400 `callback_url_invalid` says what the URL did.
 */
export async function setAppCallback(
  agentid: number,
  callback: { url: string; token: string; encoding_aes_key: string },
): Promise<AppCallback> {
  return readCallback(
    agentid,
    await adminClient.request<Partial<AppCallback>>(`${appPath(agentid)}/callback`, {
      method: 'PUT',
      body: callback,
      // The verification alone may take 5 s.
      timeoutMs: 30_000,
    }),
  )
}

/** Removes the callback; deliveries still queued fail. */
export async function deleteAppCallback(agentid: number): Promise<AppCallback> {
  return readCallback(agentid, await adminClient.delete<Partial<AppCallback>>(`${appPath(agentid)}/callback`))
}

/** The app's deliveries, newest first: `before` is the last page's `next_before`. */
export async function listCallbackDeliveries(
  agentid: number,
  query: { state?: DeliveryState; before?: number; limit?: number },
  signal?: AbortSignal,
): Promise<DeliveryPage> {
  const params = new URLSearchParams()
  if (query.state) params.set('state', query.state)
  if (query.before) params.set('before', String(query.before))
  if (query.limit) params.set('limit', String(query.limit))
  const search = params.toString()
  const answer = await adminClient.get<{ deliveries?: unknown; next_before?: unknown }>(
    `${appPath(agentid)}/callback/deliveries${search ? `?${search}` : ''}`,
    { signal },
  )
  const list = Array.isArray(answer.deliveries) ? (answer.deliveries as Partial<CallbackDelivery>[]) : []
  return { deliveries: list.map(readDelivery), next_before: numOrNull(answer.next_before) || null }
}

/** Sends a delivery now (a failed or pending one; a delivered one goes out again). */
export async function retryCallbackDelivery(agentid: number, id: number): Promise<void> {
  await adminClient.post(`${appPath(agentid)}/callback/deliveries/${encodeURIComponent(String(id))}/retry`)
}
