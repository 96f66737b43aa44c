// The member API (docs/member-api.md): who is signed in, conversations, message pages,
// marking read, and the WebSocket stream of numbered events.
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

/** Where a message's file is served to its recipients. */
export function mediaUrl(mediaId: string): string {
  return `/api/v1/media/${encodeURIComponent(mediaId)}`
}
