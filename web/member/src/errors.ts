// An API error in words a member can read: the error's `code` picks a localised sentence
// (errors.code.<code>); without one, a general sentence for the kind of failure.
import { useI18n } from 'vue-i18n'
import { ApiError } from '@shared/api/client'

export function useErrorText() {
  const { t, te } = useI18n({ useScope: 'global' })
  return (err: unknown): string => {
    if (err instanceof ApiError) {
      if (err.kind !== 'http') return t(`errors.${err.kind}`)
      const key = `errors.code.${err.code ?? ''}`
      if (err.code && te(key)) return t(key)
      return err.code ? t('errors.unknownCode', { code: err.code }) : t('errors.http', { status: err.status ?? '' })
    }
    return t('errors.unexpected')
  }
}
