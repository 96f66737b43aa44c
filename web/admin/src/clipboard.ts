// Copying text for the admin: the Clipboard API where the page may use it (HTTPS, localhost),
// else the older copy command over a hidden text box (a console served over plain HTTP on an
// intranet has no Clipboard API). False when neither worked: the text is to be copied by hand.
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Refused (no permission, the page not focused): try the old way.
  }
  const box = document.createElement('textarea')
  box.value = text
  box.setAttribute('readonly', '')
  box.style.position = 'fixed'
  box.style.top = '0'
  box.style.left = '0'
  box.style.opacity = '0'
  document.body.appendChild(box)
  const focused = document.activeElement as HTMLElement | null
  box.select()
  let copied = false
  try {
    copied = document.execCommand('copy')
  } catch {
    copied = false
  }
  box.remove()
  focused?.focus?.()
  return copied
}

/** Offers `text` as a download named `filename` (plain text, UTF-8). */
export function downloadText(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  link.style.display = 'none'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // Give the browser the time to start the download before the address goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
