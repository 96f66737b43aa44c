// The composer's form, what it checks before anything is sent (WeCom's limits, in UTF-8 bytes),
// and the request it makes of it.
import type { Member } from '../api/admin'
import { LIMITS, utf8Bytes, type ComposeType, type SendRequest } from '../api/messages'

export interface Recipients {
  /** @all: everyone the app may reach (only with `everything`). */
  all: boolean
  departments: number[]
  tags: number[]
  members: Member[]
}

export interface ComposeForm {
  msgtype: ComposeType
  /** text.content or markdown.content: each type keeps its own while the type is switched. */
  text: string
  markdown: string
  card: { title: string; description: string; url: string; btntxt: string }
  safe: boolean
}

export function emptyRecipients(): Recipients {
  return { all: false, departments: [], tags: [], members: [] }
}

export function emptyForm(): ComposeForm {
  return {
    msgtype: 'text',
    text: '',
    markdown: '',
    card: { title: '', description: '', url: '', btntxt: '' },
    safe: false,
  }
}

export function hasRecipients(r: Recipients): boolean {
  return r.all || r.departments.length > 0 || r.tags.length > 0 || r.members.length > 0
}

/** What is wrong with one field: a message key under messagesPage.compose and its values. */
export interface Problem {
  key: string
  values?: Record<string, number>
}

/** Required, and at most `max` UTF-8 bytes. */
export function checkBytes(value: string, max: number, required: string, tooLong: string): Problem | null {
  if (value.trim().length === 0) return required ? { key: required } : null
  const n = utf8Bytes(value)
  return n > max ? { key: tooLong, values: { n, max } } : null
}

export function checkUrl(value: string): Problem | null {
  const url = value.trim()
  if (!url) return { key: 'urlRequired' }
  if (utf8Bytes(url) > LIMITS.url) return { key: 'urlTooLong', values: { max: LIMITS.url } }
  if (!/^https?:\/\/\S+$/i.test(url)) return { key: 'urlInvalid' }
  return null
}

export function checkBtntxt(value: string): Problem | null {
  return [...value.trim()].length > LIMITS.btntxt ? { key: 'btntxtTooLong', values: { max: LIMITS.btntxt } } : null
}

/** One line for the preview: what the message list will show of it. */
export function previewOf(form: ComposeForm): string {
  const text = form.msgtype === 'textcard' ? form.card.title : form.msgtype === 'markdown' ? form.markdown : form.text
  const line = text.replace(/\s+/g, ' ').trim()
  const chars = [...line]
  return chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : line
}

export function buildRequest(recipients: Recipients, form: ComposeForm): SendRequest {
  const request: SendRequest = { msgtype: form.msgtype, safe: form.safe ? 1 : 0 }
  if (recipients.all) {
    request.touser = '@all'
  } else {
    if (recipients.members.length) request.touser = recipients.members.map((m) => m.userid)
    if (recipients.departments.length) request.toparty = [...recipients.departments]
    if (recipients.tags.length) request.totag = [...recipients.tags]
  }
  switch (form.msgtype) {
    case 'text':
      request.text = { content: form.text }
      break
    case 'markdown':
      request.markdown = { content: form.markdown }
      break
    case 'textcard': {
      const btntxt = form.card.btntxt.trim()
      request.textcard = {
        title: form.card.title.trim(),
        description: form.card.description,
        url: form.card.url.trim(),
        ...(btntxt ? { btntxt } : {}),
      }
      break
    }
  }
  return request
}
