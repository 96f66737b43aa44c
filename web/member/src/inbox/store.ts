// The signed-in member's inbox, shared by the screens: who they are, their conversations with
// unread counts, the threads opened so far, and one WebSocket that keeps all of it live. Every
// event carries the member's next sequence number; the client remembers the last one it saw
// and resumes from it after a reconnect, so nothing is missed and nothing is applied twice.
import { reactive } from 'vue'
import { ApiError } from '@shared/api/client'
import {
  fetchConversations,
  fetchMe,
  fetchMessages,
  markRead,
  type Conversation,
  type Me,
  type Message,
  type StreamEvent,
} from '../api/member'

export type InboxStatus = 'loading' | 'signed-out' | 'ready' | 'error'
export type LinkState = 'connecting' | 'live' | 'offline'

export interface Thread {
  messages: Message[] // oldest first
  nextBefore: number // 0: no earlier page
  loaded: boolean
}

export const threadKey = (agentid: number, chatid: string) => `${agentid}:${chatid}`

export const inbox = reactive({
  status: 'loading' as InboxStatus,
  error: '' as string,
  me: null as Me | null,
  conversations: [] as Conversation[],
  lastSeq: 0,
  link: 'offline' as LinkState,
  threads: {} as Record<string, Thread>,
  /** The thread on screen (its key), whose new messages are read as they arrive. */
  viewing: '' as string,
})

let socket: WebSocket | null = null
let retryMs = 1000
let retryTimer: ReturnType<typeof setTimeout> | undefined
let refreshTimer: ReturnType<typeof setTimeout> | undefined
let started = false

function isUnauthenticated(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401
}

async function refreshConversations(): Promise<void> {
  const list = await fetchConversations()
  list.conversations.sort((a, b) => b.last.seq - a.last.seq)
  inbox.conversations = list.conversations
  if (list.last_seq > inbox.lastSeq && socket === null) inbox.lastSeq = list.last_seq
}

/** Conversations are re-read shortly after events (names, counts), a burst at a time. */
function scheduleRefresh(): void {
  clearTimeout(refreshTimer)
  refreshTimer = setTimeout(() => {
    refreshConversations().catch(() => undefined)
  }, 150)
}

export async function startInbox(): Promise<void> {
  if (started && inbox.status === 'ready') {
    // Back on a screen: the counts as the server has them now (reads from other devices).
    refreshConversations().catch(() => undefined)
    return
  }
  started = true
  inbox.status = 'loading'
  try {
    inbox.me = await fetchMe()
    const list = await fetchConversations()
    list.conversations.sort((a, b) => b.last.seq - a.last.seq)
    inbox.conversations = list.conversations
    inbox.lastSeq = list.last_seq
    inbox.status = 'ready'
    connect()
  } catch (err) {
    if (isUnauthenticated(err)) {
      inbox.status = 'signed-out'
    } else {
      inbox.status = 'error'
      inbox.error = err instanceof Error ? err.message : String(err)
    }
  }
}

export function stopInbox(): void {
  clearTimeout(retryTimer)
  clearTimeout(refreshTimer)
  const s = socket
  socket = null
  s?.close()
  inbox.link = 'offline'
  inbox.status = 'signed-out'
  inbox.me = null
  inbox.conversations = []
  inbox.threads = {}
  inbox.lastSeq = 0
  started = false
}

function connect(): void {
  clearTimeout(retryTimer)
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws'
  const ws = new WebSocket(`${scheme}://${location.host}/api/v1/stream?after=${inbox.lastSeq}`)
  socket = ws
  inbox.link = 'connecting'
  ws.onmessage = (msg) => {
    let data: Record<string, unknown>
    try {
      data = JSON.parse(String(msg.data)) as Record<string, unknown>
    } catch {
      return
    }
    if (data.type === 'hello') {
      inbox.link = 'live'
      retryMs = 1000
      return
    }
    if (data.type === 'error') {
      if (data.code === 'unauthenticated') stopInbox()
      return
    }
    if (typeof data.seq !== 'number' || data.type === 'heartbeat') return
    apply(data as unknown as StreamEvent)
  }
  ws.onclose = () => {
    if (socket !== ws) return // replaced or stopped on purpose
    socket = null
    inbox.link = 'offline'
    // Back off, then resume after the last event seen (a lagging close lands here too).
    retryTimer = setTimeout(connect, retryMs)
    retryMs = Math.min(retryMs * 2, 15_000)
  }
}

function apply(event: StreamEvent): void {
  if (event.seq <= inbox.lastSeq) return // seen already
  inbox.lastSeq = event.seq
  if (event.type === 'message') {
    const m: Message = { ...event.message, seq: event.seq }
    const key = threadKey(m.agentid, m.chatid)
    const thread = inbox.threads[key]
    if (thread?.loaded && !thread.messages.some((x) => x.msgid === m.msgid)) thread.messages.push(m)
    const c = inbox.conversations.find((x) => threadKey(x.agentid, x.chatid) === key)
    if (c) {
      c.last = m
      c.messages += 1
      if (inbox.viewing !== key) c.unread += 1
      inbox.conversations.sort((a, b) => b.last.seq - a.last.seq)
    }
    if (inbox.viewing === key && document.visibilityState === 'visible') {
      markRead(m.agentid, m.chatid, m.seq).catch(() => undefined)
    }
  } else {
    const key = threadKey(event.agentid, event.chatid)
    const thread = inbox.threads[key]
    if (thread && event.type === 'recall') {
      const found = thread.messages.find((x) => x.msgid === event.msgid)
      if (found) {
        found.recalled = true
        found.content = null
        found.preview = ''
      }
    }
    if (thread && event.type === 'read') {
      const upTo = thread.messages.find((x) => x.msgid === event.msgid)?.seq ?? 0
      const now = Math.floor(Date.now() / 1000)
      for (const x of thread.messages) if (x.seq <= upTo && x.read_at === null) x.read_at = now
    }
  }
  scheduleRefresh()
}

/** Opens a thread: its newest page once, and everything in it read. */
export async function openThread(agentid: number, chatid: string): Promise<Thread> {
  const key = threadKey(agentid, chatid)
  inbox.viewing = key
  let thread = inbox.threads[key]
  if (!thread?.loaded) {
    const page = await fetchMessages(agentid, chatid)
    thread = { messages: page.messages.reverse(), nextBefore: page.next_before, loaded: true }
    inbox.threads[key] = thread
  }
  const c = inbox.conversations.find((x) => threadKey(x.agentid, x.chatid) === key)
  if (c) c.unread = 0
  await markRead(agentid, chatid)
  return thread
}

export function closeThread(): void {
  inbox.viewing = ''
}

/** The page before the oldest shown; false when there is none. */
export async function loadEarlier(agentid: number, chatid: string): Promise<boolean> {
  const thread = inbox.threads[threadKey(agentid, chatid)]
  if (!thread || thread.nextBefore === 0) return false
  const page = await fetchMessages(agentid, chatid, thread.nextBefore)
  const known = new Set(thread.messages.map((m) => m.msgid))
  thread.messages.unshift(...page.messages.reverse().filter((m) => !known.has(m.msgid)))
  thread.nextBefore = page.next_before
  return true
}
