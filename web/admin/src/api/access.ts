// Delegated administration (docs/admin-api.md, "Delegated administration"): admin groups and
// administrators (super admins only), and the administrator's own password.
import { adminClient, API_BASE } from './admin'
import type { AppRight, ContactsRight } from './session'

// ---- Admin groups ------------------------------------------------------------------------

export interface GroupApp {
  agentid: number
  right: AppRight
}

export interface AdminGroup {
  id: number
  name: string
  description: string
  /** Department ids: each with its whole subtree. */
  departments: number[]
  /** Tag ids: their members, and the departments they hold with their subtrees. */
  tags: number[]
  contacts: Exclude<ContactsRight, 'none'>
  devices: boolean
  apps: GroupApp[]
  /** The ids of the administrators in the group. */
  admins: number[]
  created_at: number
  updated_at: number
}

export type AdminGroupInput = Pick<AdminGroup, 'name' | 'description' | 'departments' | 'tags' | 'contacts' | 'devices' | 'apps'>

/** The longest group name and description the server takes (characters). */
export const GROUP_NAME_MAX = 32
export const GROUP_DESCRIPTION_MAX = 200

export async function listAdminGroups(): Promise<AdminGroup[]> {
  const answer = await adminClient.get<{ groups: AdminGroup[] }>(`${API_BASE}/admin-groups`)
  return (answer.groups ?? []).map((g) => ({
    ...g,
    description: g.description ?? '',
    departments: g.departments ?? [],
    tags: g.tags ?? [],
    apps: g.apps ?? [],
    admins: g.admins ?? [],
  }))
}

export async function createAdminGroup(input: AdminGroupInput): Promise<number> {
  return (await adminClient.post<{ id: number }>(`${API_BASE}/admin-groups`, input)).id
}

/** The fields given replace the group's. */
export async function updateAdminGroup(id: number, changes: Partial<AdminGroupInput>): Promise<void> {
  await adminClient.patch<unknown>(`${API_BASE}/admin-groups/${id}`, changes)
}

export async function deleteAdminGroup(id: number): Promise<void> {
  await adminClient.delete<void>(`${API_BASE}/admin-groups/${id}`)
}

// ---- Administrators -----------------------------------------------------------------------

export type Role = 'super' | 'scoped'

export interface AdminRecord {
  id: number
  username: string
  role: Role | string
  /** Admin group ids. */
  groups: number[]
  totp_enabled: boolean
  must_change_password: boolean
  /** Locked for a while after too many failed logins. */
  locked: boolean
  created_at: number
}

export async function listAdmins(): Promise<AdminRecord[]> {
  const answer = await adminClient.get<{ admins: AdminRecord[] }>(`${API_BASE}/admins`)
  return (answer.admins ?? []).map((a) => ({ ...a, groups: a.groups ?? [] }))
}

/** A generated password, shown this once; the administrator changes it at the first login. */
export interface NewPassword {
  username: string
  password: string
}

export async function createAdmin(input: {
  username: string
  role: Role
  groups?: number[]
}): Promise<NewPassword & { id: number }> {
  return adminClient.post(`${API_BASE}/admins`, input)
}

export async function updateAdmin(id: number, changes: { role?: Role; groups?: number[] }): Promise<void> {
  await adminClient.patch<unknown>(`${API_BASE}/admins/${id}`, changes)
}

export async function deleteAdmin(id: number): Promise<void> {
  await adminClient.delete<void>(`${API_BASE}/admins/${id}`)
}

/** A new generated password; their sessions end. */
export async function resetAdminPassword(id: number): Promise<string> {
  return (await adminClient.post<{ password: string }>(`${API_BASE}/admins/${id}/password`)).password
}

// ---- Your own password --------------------------------------------------------------------

/** The shortest password the server takes. */
export const PASSWORD_MIN = 10

/** The administrator's other sessions end; this one stays. 401 invalid_credentials. */
export async function changeOwnPassword(current: string, next: string): Promise<void> {
  await adminClient.post<unknown>(`${API_BASE}/account/password`, {
    current_password: current,
    new_password: next,
  })
}
