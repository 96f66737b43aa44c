// vue-i18n setup shared by both apps: zh-CN first (and the fallback), then en.
// The chosen language is kept in localStorage under `corphub.lang`; without a choice we
// follow the browser (any zh* → zh-CN, anything else → en). <html lang> and the page
// title follow the current language.
import { watchEffect } from 'vue'
import { createI18n, useI18n } from 'vue-i18n'
import zhCN, { type MessageSchema } from './locales/zh-CN'
import en from './locales/en'

export const SUPPORTED_LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof SUPPORTED_LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'
export const LOCALE_STORAGE_KEY = 'corphub.lang'

/** Each language's name written in that language, for the switch. */
export const LOCALE_NAMES: Record<Locale, string> = {
  'zh-CN': '简体中文',
  en: 'English',
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value)
}

function readStoredLocale(): Locale | undefined {
  try {
    const stored = globalThis.localStorage?.getItem(LOCALE_STORAGE_KEY)
    return isLocale(stored) ? stored : undefined
  } catch {
    return undefined // storage disabled (private mode, sandboxed frame)
  }
}

function storeLocale(locale: Locale): void {
  try {
    globalThis.localStorage?.setItem(LOCALE_STORAGE_KEY, locale)
  } catch {
    // Not fatal: the choice just won't survive a reload.
  }
}

/** Maps a BCP 47 tag from the browser to one of ours. */
export function localeFromBrowser(tag: string | undefined): Locale {
  if (!tag) return DEFAULT_LOCALE
  return tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en'
}

export function detectLocale(): Locale {
  return readStoredLocale() ?? localeFromBrowser(globalThis.navigator?.language)
}

export function createAppI18n() {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale: detectLocale(),
    fallbackLocale: DEFAULT_LOCALE,
    messages: { 'zh-CN': zhCN, en },
  })
}

export type AppI18n = ReturnType<typeof createAppI18n>

/** The current language and a way to change it (which also remembers the choice). */
export function useLocale() {
  const { locale } = useI18n<{ message: MessageSchema }, Locale>({ useScope: 'global' })
  function setLocale(next: Locale) {
    locale.value = next
    storeLocale(next)
  }
  return { locale, setLocale, locales: SUPPORTED_LOCALES, names: LOCALE_NAMES }
}

/**
 * Keeps <html lang> and document.title in step with the language. Call once from the
 * root component's setup; `titleKey` names the app's title message.
 */
export function useDocumentLocale(titleKey: 'member.title' | 'admin.title') {
  const { t, locale } = useI18n<{ message: MessageSchema }, Locale>({ useScope: 'global' })
  watchEffect(() => {
    document.documentElement.lang = locale.value
    document.title = t(titleKey)
  })
}
