// Sending a notice through an app from the console (docs/admin-api.md): what the caller may send
// to through the app (their send scope), and the send itself. The server checks every target
// against that scope; the composer only keeps from offering what it would refuse.
import { adminClient, API_BASE } from './admin'

/** What the caller may send to through an app: everything, or these departments and tags. */
export interface SendTargets {
  /** A super admin: the whole organisation, @all included (the lists are then empty). */
  everything: boolean
  /** Every department of the send scope, subtrees included. */
  departments: number[]
  tags: number[]
}

export async function getSendTargets(agentid: number): Promise<SendTargets> {
  const answer = await adminClient.get<Partial<SendTargets>>(`${API_BASE}/apps/${agentid}/targets`)
  const ids = (list: unknown) => (Array.isArray(list) ? list.filter((id): id is number => typeof id === 'number') : [])
  return {
    everything: answer.everything === true,
    departments: ids(answer.departments),
    tags: ids(answer.tags),
  }
}

export type ComposeType = 'text' | 'textcard' | 'markdown'
export const COMPOSE_TYPES: readonly ComposeType[] = ['text', 'textcard', 'markdown']

/** WeCom's limits, in UTF-8 bytes unless said otherwise. */
export const LIMITS = {
  content: 2048,
  title: 128,
  description: 512,
  url: 2048,
  /** Characters. */
  btntxt: 4,
} as const

export interface TextCard {
  title: string
  description: string
  url: string
  btntxt?: string
}

export interface SendRequest {
  /** Userids, or '@all' (a super admin's whole organisation). */
  touser?: string[] | '@all'
  toparty?: number[]
  totag?: number[]
  msgtype: ComposeType
  text?: { content: string }
  textcard?: TextCard
  markdown?: { content: string }
  /** 1: a confidential message (no forwarding, a watermark). */
  safe?: 0 | 1
  keep_permanently?: boolean
}

export interface SendResult {
  msgid: string
  /** The members whose inbox it reached. */
  recipients: number
  /** Members skipped by the per-member rate caps. */
  capped: number
  /** Targets not found, or outside the app's visible scope. */
  invalid_users: string[]
  invalid_parties: string[]
  invalid_tags: string[]
}

export async function sendMessage(agentid: number, request: SendRequest): Promise<SendResult> {
  const answer = await adminClient.post<Partial<SendResult>>(`${API_BASE}/apps/${agentid}/messages`, request, {
    timeoutMs: 60_000,
  })
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : [])
  return {
    msgid: String(answer.msgid ?? ''),
    recipients: Number(answer.recipients ?? 0),
    capped: Number(answer.capped ?? 0),
    invalid_users: list(answer.invalid_users),
    invalid_parties: list(answer.invalid_parties),
    invalid_tags: list(answer.invalid_tags),
  }
}

/** The length WeCom counts: UTF-8 bytes. */
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length
}
