// Message times as a phone shows them: the time for today, the date and time before.
export function formatTime(unixSeconds: number, locale: string, now = new Date()): string {
  const d = new Date(unixSeconds * 1000)
  const sameDay =
    d.getFullYear() === now.getFullYear() &&
    d.getMonth() === now.getMonth() &&
    d.getDate() === now.getDate()
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hour12: false })
  if (sameDay) return time.format(d)
  const date = new Intl.DateTimeFormat(locale, {
    year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric',
    month: 'short',
    day: 'numeric',
  })
  return `${date.format(d)} ${time.format(d)}`
}
