// Live server status for a status card: fetches /healthz now and then every `intervalMs`
// (10 s by default) while the page is visible, never two requests at once.
import { computed, onBeforeUnmount, onMounted, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '../api/client'
import { fetchHealth, type Health } from '../api/health'
import type { MessageSchema } from '../i18n/locales/zh-CN'
import type { Locale } from '../i18n'

export type HealthState = 'checking' | 'operational' | 'unavailable' | 'error'

export function useHealth(options: { intervalMs?: number } = {}) {
  const intervalMs = options.intervalMs ?? 10_000
  const { t, locale } = useI18n<{ message: MessageSchema }, Locale>({ useScope: 'global' })

  const health = shallowRef<Health | null>(null)
  const error = shallowRef<ApiError | null>(null)
  const loading = ref(false)
  const checkedAt = shallowRef<Date | null>(null)

  let timer: ReturnType<typeof setTimeout> | undefined
  let inflight: AbortController | undefined
  let stopped = false

  function schedule() {
    clearTimeout(timer)
    if (stopped || document.hidden) return // resumed by the visibility listener
    timer = setTimeout(() => void refresh(), intervalMs)
  }

  async function refresh(): Promise<void> {
    clearTimeout(timer)
    inflight?.abort()
    const controller = new AbortController()
    inflight = controller
    loading.value = true
    try {
      health.value = await fetchHealth({ signal: controller.signal })
      error.value = null
    } catch (err) {
      if (controller.signal.aborted) return // superseded or unmounted
      // A stale "operational" would mislead: once a check fails, show only the failure.
      health.value = null
      error.value =
        err instanceof ApiError
          ? err
          : new ApiError({
              kind: 'network',
              method: 'GET',
              url: '/healthz',
              message: String(err),
              cause: err,
            })
    } finally {
      if (inflight === controller) {
        inflight = undefined
        loading.value = false
        checkedAt.value = new Date()
        schedule()
      }
    }
  }

  function onVisibilityChange() {
    if (!document.hidden) void refresh()
  }

  onMounted(() => {
    document.addEventListener('visibilitychange', onVisibilityChange)
    void refresh()
  })
  onBeforeUnmount(() => {
    stopped = true
    clearTimeout(timer)
    inflight?.abort()
    document.removeEventListener('visibilitychange', onVisibilityChange)
  })

  const state = computed<HealthState>(() => {
    if (error.value) return 'error'
    if (!health.value) return 'checking'
    return health.value.status === 'ok' ? 'operational' : 'unavailable'
  })

  const stateLabel = computed(() => {
    switch (state.value) {
      case 'operational':
        return t('status.operational')
      case 'unavailable':
        return t('status.unavailable')
      case 'error':
        return t('status.errorTitle')
      default:
        return t('status.checking')
    }
  })

  const errorText = computed(() => {
    const err = error.value
    if (!err) return ''
    return t(`status.error.${err.kind}`, { status: err.status ?? '' })
  })

  const backendLabel = computed(() => {
    const backend = health.value?.storage.backend
    if (backend === 'sqlite' || backend === 'postgres') return t(`status.backend.${backend}`)
    return backend ?? ''
  })

  const uptimeText = computed(() =>
    health.value ? formatUptime(health.value.uptime_seconds, t) : '',
  )

  const checkedAtText = computed(() =>
    checkedAt.value
      ? t('status.checkedAt', { time: checkedAt.value.toLocaleTimeString(locale.value) })
      : '',
  )

  return {
    health,
    error,
    loading,
    state,
    stateLabel,
    errorText,
    backendLabel,
    uptimeText,
    checkedAtText,
    refresh,
  }
}

type Translate = (key: string, named: Record<string, unknown>) => string

/** "3 min 12 s", "2 h 5 min", "4 d 1 h": the two largest units are enough at a glance. */
export function formatUptime(totalSeconds: number, t: Translate): string {
  const s = Math.max(0, Math.floor(totalSeconds))
  const d = Math.floor(s / 86_400)
  const h = Math.floor((s % 86_400) / 3_600)
  const m = Math.floor((s % 3_600) / 60)
  const sec = s % 60
  if (d > 0) return t('uptime.days', { d, h })
  if (h > 0) return t('uptime.hours', { h, m })
  if (m > 0) return t('uptime.minutes', { m, s: sec })
  return t('uptime.seconds', { s: sec })
}
