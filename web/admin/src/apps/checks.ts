// The server's checks on an app's settings, made in the browser first so that the form can say
// what is wrong under the field (src/apps/app_service.cpp and src/core/text.hpp judge the same).
// The server still judges: what it refuses is shown as it says it.
import { utf8Bytes } from '../api/messages'
import { SETTINGS_LIMITS } from '../api/apps'

/** Characters as the server counts them: Unicode code points. */
export function charCount(text: string): number {
  return [...text].length
}

// http:// or https://, something after it that is not a path, query or fragment, and no space
// or control character anywhere.
const HTTP_URL = /^https?:\/\/[^/?#\x00-\x20\x7f][^\x00-\x20\x7f]*$/

/** An http(s) URL as the server takes one (the scheme in lower case). */
export function isHttpUrl(url: string): boolean {
  return HTTP_URL.test(url)
}

/** A home page: empty, or an http(s) URL of at most 1024 bytes. */
export function isHomeUrl(url: string): boolean {
  return url === '' || (utf8Bytes(url) <= SETTINGS_LIMITS.homeUrl && isHttpUrl(url))
}

/** A trusted domain: empty, or a host name (letters, digits, '-', '.'; no empty label) with an
 * optional :port. */
export function isRedirectDomain(text: string): boolean {
  if (text === '') return true
  if (text.length > 260) return false
  let host = text
  const colon = text.lastIndexOf(':')
  if (colon >= 0) {
    const port = text.slice(colon + 1)
    if (!/^[0-9]{1,5}$/.test(port)) return false
    host = text.slice(0, colon)
  }
  if (host === '' || host.length > 253 || host.startsWith('.') || host.endsWith('.')) return false
  return /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(host)
}
