// Printing one part of a screen (a card with a QR code, for a poster or the intranet's home
// page): while the print dialog is up, <html> carries `printing-part` and the element
// `print-target`; the print stylesheet in styles.css hides everything else. Both go at
// `afterprint` (print() blocks in some browsers and returns at once in others).
export function printElement(element: HTMLElement): void {
  const root = document.documentElement
  for (const old of document.querySelectorAll('.print-target')) old.classList.remove('print-target')
  const done = () => {
    root.classList.remove('printing-part')
    element.classList.remove('print-target')
    window.removeEventListener('afterprint', done)
  }
  root.classList.add('printing-part')
  element.classList.add('print-target')
  window.addEventListener('afterprint', done)
  window.print()
}
