// Errors in words the admin can read: an API error's `code` picks a localised sentence
// (errors.code.<code>), the server's English `message` goes along as detail.
import { h } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessage } from 'element-plus'
import { ApiError } from '@shared/api/client'

export interface ErrorText {
  /** The localised sentence. */
  text: string
  /** The server's own explanation, when there is one. */
  detail?: string
  code?: string
}

export function useErrors() {
  const { t, te } = useI18n({ useScope: 'global' })

  /** The localised text for an error code, or undefined when we have none for it. */
  function codeText(code: string | undefined): string | undefined {
    if (!code) return undefined
    // errors.code holds the codes of the directory and sign-in; access.errors those that came
    // with delegated administration.
    for (const key of [`errors.code.${code}`, `access.errors.${code}`]) if (te(key)) return t(key)
    return undefined
  }

  function describe(err: unknown): ErrorText {
    if (err instanceof ApiError) {
      if (err.kind !== 'http') return { text: t(`errors.${err.kind}`) }
      const code = err.code
      const detail = err.detail
      const known = codeText(code)
      if (known) return { text: known, detail, code }
      return {
        text: code ? t('errors.unknownCode', { code }) : t('errors.http', { status: err.status ?? '' }),
        detail,
        code,
      }
    }
    return { text: t('errors.unexpected'), detail: err instanceof Error ? err.message : String(err) }
  }

  /** A toast for a failed action: the localised reason, and the server's detail under it. */
  function notifyError(err: unknown, title?: string): void {
    const { text, detail, code } = describe(err)
    ElMessage({
      type: 'error',
      duration: 6_000,
      showClose: true,
      customClass: 'api-error-message',
      message: h('div', { class: 'api-error', 'data-testid': 'error-message', 'data-code': code ?? '' }, [
        title ? h('div', { class: 'api-error__title' }, title) : null,
        h('div', { class: 'api-error__text' }, text),
        detail ? h('div', { class: 'api-error__detail' }, detail) : null,
      ]),
    })
  }

  function notifySuccess(text: string): void {
    ElMessage({
      type: 'success',
      duration: 3_000,
      message: h('div', { 'data-testid': 'success-message' }, text),
    })
  }

  return { describe, codeText, notifyError, notifySuccess }
}
