// Addresses an app gives (its home page, a menu's web page) are opened only when they are web
// addresses: never a `javascript:` or any other scheme.
export function webUrl(url: string | undefined): string {
  if (!url) return ''
  try {
    const u = new URL(url, window.location.href)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : ''
  } catch {
    return ''
  }
}
