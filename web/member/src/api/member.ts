// The member API (docs/member-api.md): who is signed in, conversations, message pages,
// marking read, the WebSocket stream of numbered events, and an app's menu and events.
import { createApiClient } from '@shared/api/client'

export interface Me {
  userid: string
  name: string
  position: string
  avatar: string
  org_name: string
  csrf_token: string
  session_expires_at: number
}

export interface Message {
  seq: number
  msgid: string
  agentid: number
  chatid: string
  msgtype: string
  /** The type's object as WeCom defines it; null once recalled. */
  content: Record<string, unknown> | null
  preview: string
  safe: number
  created_at: number
  read_at: number | null
  recalled: boolean
}

export interface Conversation {
  agentid: number
  chatid: string
  name: string
  app_name: string
  unread: number
  messages: number
  last: Message
}

export type StreamEvent =
  | { type: 'message'; seq: number; message: Omit<Message, 'seq'> }
  | { type: 'recall'; seq: number; agentid: number; chatid: string; msgid: string }
  | { type: 'read'; seq: number; agentid: number; chatid: string; msgid: string }

let csrfToken = ''

const client = createApiClient({
  headers: (method) => (method === 'GET' || !csrfToken ? undefined : { 'X-CSRF-Token': csrfToken }),
})

export async function fetchMe(): Promise<Me> {
  const me = await client.get<Me>('/api/v1/me')
  csrfToken = me.csrf_token
  return me
}

export async function logout(): Promise<void> {
  await client.post('/api/v1/logout')
  csrfToken = ''
}

// --- sign-in and devices -------------------------------------------------------------------

export interface SentCode {
  /** Repeated with the code; only this browser holds it. */
  challenge: string
  channel: 'sms' | 'email'
  /** Where the code went, masked: "138****1111", "z***@example.com". */
  sent_to: string
  expires_at: number
  /** Seconds before another code may be asked for. */
  resend_after: number
}

export type Verified =
  | { result: 'activated' | 'signed_in'; userid: string; csrf_token: string; session_expires_at: number }
  | { result: 'pending_approval'; userid: string }

export function requestCode(identifier: string): Promise<SentCode> {
  return client.post('/api/v1/auth/code', { identifier })
}

export async function verifyCode(challenge: string, code: string): Promise<Verified> {
  const done = await client.post<Verified>('/api/v1/auth/verify', { challenge, code })
  if (done.result !== 'pending_approval') csrfToken = done.csrf_token
  return done
}

export interface Device {
  id: number
  device: string
  address: string
  created_at: number
  last_seen_at: number
  current: boolean
}

export function fetchDevices(): Promise<{ sessions: Device[] }> {
  return client.get('/api/v1/sessions')
}

export function endDevice(id: number): Promise<{ ok: boolean }> {
  return client.delete(`/api/v1/sessions/${id}`)
}

export function endOtherDevices(): Promise<{ ended: number }> {
  return client.post('/api/v1/sessions/end_others')
}

export function fetchConversations(): Promise<{ conversations: Conversation[]; last_seq: number }> {
  return client.get('/api/v1/conversations')
}

export function fetchMessages(
  agentid: number,
  chatid: string,
  before = 0,
  limit = 30,
): Promise<{ messages: Message[]; next_before: number }> {
  const q = new URLSearchParams({ limit: String(limit) })
  if (before > 0) q.set('before', String(before))
  if (chatid) q.set('chatid', chatid)
  return client.get(`/api/v1/conversations/${agentid}/messages?${q}`)
}

export function markRead(
  agentid: number,
  chatid: string,
  upToSeq = 0,
): Promise<{ marked: boolean; msgid: string }> {
  const body: Record<string, unknown> = {}
  if (chatid) body.chatid = chatid
  if (upToSeq > 0) body.up_to_seq = upToSeq
  return client.post(`/api/v1/conversations/${agentid}/read`, body)
}

// --- an app as the client shows it: its menu and the events the member's actions report ------

/** A menu button that does something: `click` has a key, `view` a url, a mini program an appid. */
export interface AppMenuLeaf {
  type: string
  name: string
  key?: string
  url?: string
  appid?: string
  pagepath?: string
}

/** A top-level button with up to 5 leaves under it. */
export interface AppSubmenu {
  name: string
  sub_button: AppMenuLeaf[]
}

export type AppMenuButton = AppMenuLeaf | AppSubmenu

export interface AppProfile {
  agentid: number
  name: string
  description: string
  logo_url: string
  home_url: string
  report_enter: boolean
  report_location: boolean
  /** WeCom's menu JSON, or null when the app has none. */
  menu: { button: AppMenuButton[] } | null
}

export type AppEvent =
  | { event: 'enter_agent' }
  | { event: 'click'; key: string }
  | { event: 'view'; key: string }

export function fetchApp(agentid: number): Promise<AppProfile> {
  return client.get(`/api/v1/apps/${agentid}`)
}

/** Tells the app's callback what the member did; `queued` is false when nothing will be sent. */
export function reportAppEvent(agentid: number, event: AppEvent): Promise<{ queued: boolean }> {
  return client.post(`/api/v1/apps/${agentid}/events`, event)
}

/** Where a message's file is served to its recipients. */
export function mediaUrl(mediaId: string): string {
  return `/api/v1/media/${encodeURIComponent(mediaId)}`
}

// --- applying to join (public: no session) -------------------------------------------------

export interface RegistrationDepartment {
  id: number
  /** 0 for the root department. */
  parentid: number
  name: string
  /** Larger first among siblings. */
  order: number
}

export interface RegistrationForm {
  open: boolean
  org_name: string
  /** Empty while the organisation takes no applications. */
  departments: RegistrationDepartment[]
}

export interface Application {
  name: string
  department: number
  position: string
  /** The login id the applicant would like; empty lets the administrator choose. */
  userid: string
  mobile: string
  email: string
  note: string
}

/** What the applicant keeps to ask about their application later. */
export interface Applied {
  id: string
  token: string
  status: 'pending'
}

export type ApplicationStatus = 'pending' | 'approved' | 'rejected'

export interface ApplicationState {
  id: string
  status: ApplicationStatus
  name: string
  department: number
  department_name: string
  position: string
  submitted_at: number
  /** 0 while pending. */
  decided_at: number
  /** The administrator's reason, on rejection. */
  reason: string
  /** The member the approval created. */
  member_userid: string
}

export function fetchRegistrationForm(): Promise<RegistrationForm> {
  return client.get('/api/v1/registration')
}

export function applyToJoin(application: Application): Promise<Applied> {
  return client.post('/api/v1/registration', application)
}

export function fetchApplication(id: string, token: string): Promise<ApplicationState> {
  return client.get(`/api/v1/registration/${encodeURIComponent(id)}`, {
    headers: { 'X-Registration-Token': token },
  })
}

// --- other ways to sign in, and the member's own password ----------------------------------

export interface SignInMethods {
  code: boolean
  password: boolean
  /** True when the organisation configured its account service (a single sign-on). */
  account: boolean
  /** The account service's display name; empty for a generic "organisation account". */
  account_label: string
}

/** The ways this server signs a member in (public). */
export function fetchSignInMethods(): Promise<SignInMethods> {
  return client.get('/api/v1/auth/methods')
}

/** A mobile or e-mail and the password the member set; answers like verifyCode. */
export async function signInWithPassword(identifier: string, password: string): Promise<Verified> {
  const done = await client.post<Verified>('/api/v1/auth/password', { identifier, password })
  if (done.result !== 'pending_approval') csrfToken = done.csrf_token
  return done
}

/** The external account id and its password, checked by the organisation's account service. */
export async function signInWithAccount(account: string, password: string): Promise<Verified> {
  const done = await client.post<Verified>('/api/v1/auth/account', { account, password })
  if (done.result !== 'pending_approval') csrfToken = done.csrf_token
  return done
}

export function fetchPasswordState(): Promise<{ set: boolean }> {
  return client.get('/api/v1/password')
}

/** Sets or changes the password; `current` is required when one is set already. */
export function setPassword(password: string, current?: string): Promise<{ set: true }> {
  const body: Record<string, string> = { password }
  if (current !== undefined) body.current = current
  return client.request('/api/v1/password', { method: 'PUT', body })
}

export function removePassword(current: string): Promise<{ set: false }> {
  return client.post('/api/v1/password/remove', { current })
}

/** What an app's sign-in request (/connect/oauth2/authorize) asks, as the server checked it. */
export interface SsoRequest {
  /** 0 when the request named no app. */
  agentid: number
  app_name: string
  logo_url: string
  scope: 'snsapi_base' | 'snsapi_privateinfo'
  redirect_host: string
}

/** The request's query as the app sent it (appid, redirect_uri, response_type, scope, agentid, state). */
export type SsoQuery = Record<string, string>

export function checkSso(query: SsoQuery): Promise<SsoRequest> {
  return client.get(`/api/v1/sso/authorize?${new URLSearchParams(query).toString()}`)
}

/** A one-time code for the app: the URL the browser goes to next. */
export function authorizeSso(query: SsoQuery): Promise<{ redirect_url: string }> {
  return client.post('/api/v1/sso/authorize', query)
}
