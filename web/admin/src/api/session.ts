// The admin's session: who is logged in and the CSRF token every write must carry.
// Read once from GET /admin/api/session (the route guard does it), replaced on login,
// cleared on logout and on a 401 that says the session is over (`unauthenticated`).
import { readonly, shallowRef } from 'vue'

export type AdminRole = 'super' | 'scoped'

export interface AdminAccount {
  username: string
  /** 'super' may do everything; 'scoped' what their admin groups allow. */
  role: AdminRole | string
  must_change_password: boolean
  /** Two-step login is on for this account. */
  totp_enabled?: boolean
}

/** A scoped administrator's right over the directory in their scope. */
export type ContactsRight = 'edit' | 'read' | 'none'
export type AppRight = 'send' | 'manage'

/** What the administrator may do (docs/admin-api.md, "Delegated administration"). */
export interface AdminRights {
  super: boolean
  contacts: ContactsRight
  /** See members' devices and sign them out. */
  devices: boolean
  apps: readonly { agentid: number; right: AppRight }[]
  all_apps: boolean
  /** What the administrator sees: every group's departments and tags. */
  scope: { departments: readonly number[]; tags: readonly number[] }
}

export interface AdminSession {
  admin: AdminAccount
  rights: AdminRights
  csrf_token: string
}

/** Nothing allowed: what a session without (readable) rights gets. */
export const NO_RIGHTS: AdminRights = {
  super: false,
  contacts: 'none',
  devices: false,
  apps: [],
  all_apps: false,
  scope: { departments: [], tags: [] },
}

/** The rights of a session answer, with anything missing or malformed taken as not allowed. */
export function readRights(value: unknown): AdminRights {
  if (typeof value !== 'object' || value === null) return NO_RIGHTS
  const v = value as Record<string, unknown>
  const contacts = v.contacts === 'edit' || v.contacts === 'read' ? v.contacts : 'none'
  const apps = Array.isArray(v.apps)
    ? v.apps
        .filter((a): a is { agentid: number; right: AppRight } => {
          const app = a as Record<string, unknown> | null
          return typeof app?.agentid === 'number' && (app.right === 'send' || app.right === 'manage')
        })
        .map((a) => ({ agentid: a.agentid, right: a.right }))
    : []
  const scope = (typeof v.scope === 'object' && v.scope !== null ? v.scope : {}) as Record<string, unknown>
  const ids = (list: unknown) => (Array.isArray(list) ? list.filter((id): id is number => typeof id === 'number') : [])
  return {
    super: v.super === true,
    contacts,
    devices: v.devices === true,
    apps,
    all_apps: v.all_apps === true,
    scope: { departments: ids(scope.departments), tags: ids(scope.tags) },
  }
}

const current = shallowRef<AdminSession | null>(null)

/** The session in force, or null when nobody is (known to be) logged in. */
export const session = readonly(current)

export function setSession(value: AdminSession | null): void {
  current.value = value
}

export function csrfToken(): string | undefined {
  return current.value?.csrf_token
}

export function isAdminSession(value: unknown): value is AdminSession {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  const admin = v.admin as Record<string, unknown> | null | undefined
  return (
    typeof v.csrf_token === 'string' &&
    typeof admin === 'object' &&
    admin !== null &&
    typeof admin.username === 'string'
  )
}

type UnauthorizedHandler = () => void
let onUnauthorized: UnauthorizedHandler | undefined

/** What to do when the server says the session is gone (set once, by the router setup). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler
}

export function sessionEnded(): void {
  const hadSession = current.value !== null
  current.value = null
  if (hadSession) onUnauthorized?.()
}
