// GET /healthz: the server's own report of whether it can serve requests.
// 200 with status "ok" when healthy; 503 with status "unavailable" (and the same shape)
// when, for example, the database is down. Both are answers, not errors.
import { api, ApiError, type ApiClient } from './client'

export type StorageBackend = 'sqlite' | 'postgres'

export interface Health {
  status: 'ok' | 'unavailable'
  version: string
  storage: { backend: StorageBackend | string; ok: boolean }
  uptime_seconds: number
}

export function isHealth(value: unknown): value is Health {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  const storage = v.storage as Record<string, unknown> | null | undefined
  return (
    (v.status === 'ok' || v.status === 'unavailable') &&
    typeof v.version === 'string' &&
    typeof storage === 'object' &&
    storage !== null &&
    typeof storage.backend === 'string' &&
    typeof storage.ok === 'boolean' &&
    typeof v.uptime_seconds === 'number'
  )
}

export async function fetchHealth(
  options: { signal?: AbortSignal; client?: ApiClient } = {},
): Promise<Health> {
  const client = options.client ?? api
  const path = '/healthz'
  let body: unknown
  try {
    body = await client.get<unknown>(path, { signal: options.signal, timeoutMs: 8_000 })
  } catch (err) {
    // A 503 that carries a health report is the server telling us it is unavailable.
    if (err instanceof ApiError && err.status === 503 && isHealth(err.body)) return err.body
    throw err
  }
  if (!isHealth(body)) {
    throw new ApiError({
      kind: 'parse',
      method: 'GET',
      url: path,
      status: 200,
      message: 'the health report did not have the expected fields',
    })
  }
  return body
}
