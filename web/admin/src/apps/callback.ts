// An app's callback (接收消息): the server's checks on the URL, Token and EncodingAESKey, made in
// the browser first (src/callback/callback_service.cpp judges the same); random Tokens and keys
// drawn in the browser; what the server's refusals say, read for a localised sentence; and the
// kinds of event a delivery carries. The server still judges: what it refuses is shown as it says.
import { utf8Bytes } from '../api/messages'
import { CALLBACK_LIMITS } from '../api/apps'
import { isHttpUrl } from './checks'

/** A callback URL: an http(s) URL of at most 1024 bytes. */
export function isCallbackUrl(url: string): boolean {
  return url !== '' && utf8Bytes(url) <= CALLBACK_LIMITS.url && isHttpUrl(url)
}

/** A Token: 1 to 32 letters and digits. */
export function isCallbackToken(token: string): boolean {
  return new RegExp(`^[A-Za-z0-9]{1,${CALLBACK_LIMITS.token}}$`).test(token)
}

/** An EncodingAESKey: exactly 43 letters and digits. */
export function isEncodingAesKey(key: string): boolean {
  return new RegExp(`^[A-Za-z0-9]{${CALLBACK_LIMITS.key}}$`).test(key)
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** `n` letters and digits from the browser's cryptographic random source, each equally likely. */
export function randomAlnum(n: number): string {
  // Bytes of 248 and over are dropped: 248 is the largest multiple of 62 a byte holds.
  const limit = 256 - (256 % ALNUM.length)
  let out = ''
  while (out.length < n) {
    const bytes = crypto.getRandomValues(new Uint8Array(n * 2))
    for (const b of bytes) {
      if (b < limit && out.length < n) out += ALNUM[b % ALNUM.length]
    }
  }
  return out
}

export const newToken = (): string => randomAlnum(CALLBACK_LIMITS.token)
export const newEncodingAesKey = (): string => randomAlnum(CALLBACK_LIMITS.key)

/** What the verification found, from the server's message of a 400 `callback_url_invalid`. */
export type VerifyFailure =
  | { kind: 'unreachable'; why: string }
  | { kind: 'status'; status: string }
  | { kind: 'answer'; answer: string }

// "the callback URL could not be reached: <why>", "the callback URL answered HTTP <n>", "the
// callback URL did not answer with the decrypted echostr (it answered "<body>"): check ...".
const UNREACHABLE = /^the callback URL could not be reached: ?(.*)$/s
const STATUS = /^the callback URL answered HTTP (\d+)/
const ANSWER = /^the callback URL did not answer with the decrypted echostr \(it answered "(.*)"\)/s

export function verifyFailure(message: string): VerifyFailure | undefined {
  let m = UNREACHABLE.exec(message)
  if (m) return { kind: 'unreachable', why: m[1] ?? '' }
  m = STATUS.exec(message)
  if (m) return { kind: 'status', status: m[1]! }
  m = ANSWER.exec(message)
  if (m) return { kind: 'answer', answer: m[1] ?? '' }
  return undefined
}

/** Which field a 400 `invalid_argument` of the PUT is about, from the server's message. */
export function refusedField(message: string): 'url' | 'token' | 'key' | undefined {
  if (/^the callback URL\b/.test(message)) return 'url'
  if (/^the Token\b/.test(message)) return 'token'
  if (/EncodingAESKey/.test(message)) return 'key'
  return undefined
}

/** The kinds of event a delivery carries that have a label (others show as they are). */
export const DELIVERY_KINDS = [
  'change_contact/create_user',
  'change_contact/update_user',
  'change_contact/delete_user',
  'change_contact/create_party',
  'change_contact/update_party',
  'change_contact/delete_party',
  'change_contact/update_tag',
  'subscribe',
  'unsubscribe',
  'enter_agent',
  'click',
  'view',
  'LOCATION',
] as const

/** The locale key of a kind's label (under apps.callback.kinds), or undefined for another kind. */
export function kindKey(kind: string): string | undefined {
  if (!(DELIVERY_KINDS as readonly string[]).includes(kind)) return undefined
  return kind.replace('/', '_')
}
