// The admin's session: who is logged in and the CSRF token every write must carry.
// Read once from GET /admin/api/session (the route guard does it), replaced on login,
// cleared on logout and on a 401 that says the session is over (`unauthenticated`).
import { readonly, shallowRef } from 'vue'

export interface AdminAccount {
  username: string
  role: string
  must_change_password: boolean
  /** Two-step login is on for this account. */
  totp_enabled?: boolean
}

export interface AdminSession {
  admin: AdminAccount
  csrf_token: string
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
