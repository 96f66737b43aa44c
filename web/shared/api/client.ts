// A small typed HTTP client over fetch: JSON in, JSON out, and one error type that says
// what went wrong in words a person can read (and a `kind` the UI can localise).

export type ApiErrorKind = 'network' | 'timeout' | 'http' | 'parse'

export class ApiError extends Error {
  readonly kind: ApiErrorKind
  readonly method: string
  readonly url: string
  /** HTTP status, for kind 'http' (and 'parse' when the status was known). */
  readonly status?: number
  /** The decoded JSON body of a non-2xx response, when it had one. */
  readonly body?: unknown

  constructor(init: {
    kind: ApiErrorKind
    method: string
    url: string
    message: string
    status?: number
    body?: unknown
    cause?: unknown
  }) {
    super(`${init.method} ${init.url}: ${init.message}`, { cause: init.cause })
    this.name = 'ApiError'
    this.kind = init.kind
    this.method = init.method
    this.url = init.url
    this.status = init.status
    this.body = init.body
  }

  /**
   * The stable error code of a JSON error answer (`{"code":…}`, or `{"error":{"code":…}}`),
   * for the UI to localise; undefined when the server gave none.
   */
  get code(): string | undefined {
    return errorField(this.body, 'code')
  }

  /** The server's own (English) explanation, when it gave one: detail for a person. */
  get detail(): string | undefined {
    return serverMessage(this.body)
  }

  /** The request field an error is about (`"field":"mobile"`), when the server named one. */
  get field(): string | undefined {
    return errorField(this.body, 'field')
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export interface RequestOptions {
  method?: HttpMethod
  /** Sent as JSON when present; a FormData is sent as multipart/form-data as it is. */
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Gives up after this many milliseconds (default 15 s). */
  timeoutMs?: number
}

export interface ApiClientOptions {
  /** Prefix for every path; empty means the page's own origin. */
  baseUrl?: string
  fetch?: typeof fetch
  defaultTimeoutMs?: number
  /** Extra headers for every request, asked for each time (e.g. a CSRF token for writes). */
  headers?: (method: HttpMethod, path: string) => Record<string, string> | undefined
  /** Told of every error answer (kind 'http') before it is thrown, e.g. to handle 401. */
  onHttpError?: (error: ApiError, path: string) => void
}

type NoBody = Omit<RequestOptions, 'method' | 'body'>
type WithBody = Omit<RequestOptions, 'method'>

export interface ApiClient {
  request<T>(path: string, options?: RequestOptions): Promise<T>
  get<T>(path: string, options?: NoBody): Promise<T>
  post<T>(path: string, body?: unknown, options?: WithBody): Promise<T>
  patch<T>(path: string, body?: unknown, options?: WithBody): Promise<T>
  delete<T>(path: string, options?: NoBody): Promise<T>
}

/** A string member of a JSON error body, flat (`{"code"}`) or nested (`{"error":{"code"}}`). */
function errorField(body: unknown, key: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const record = body as Record<string, unknown>
  const value = record[key]
  if (typeof value === 'string' && value.length > 0) return value
  const nested = record.error
  if (typeof nested === 'object' && nested !== null) {
    const inner = (nested as Record<string, unknown>)[key]
    if (typeof inner === 'string' && inner.length > 0) return inner
  }
  return undefined
}

/** Picks a server-supplied explanation out of a JSON error body, if there is one. */
function serverMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const record = body as Record<string, unknown>
  for (const key of ['errmsg', 'message', 'error']) {
    const value = record[key]
    if (typeof value === 'string' && value.length > 0) return value
  }
  return errorField(body, 'message')
}

async function readJson(response: Response): Promise<{ ok: true; value: unknown } | { ok: false }> {
  const text = await response.text()
  if (text.length === 0) return { ok: true, value: undefined }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const baseUrl = options.baseUrl ?? ''
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init))
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 15_000

  async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    const method = opts.method ?? 'GET'
    const url = `${baseUrl}${path}`
    const headers: Record<string, string> = {
      Accept: 'application/json',
      ...options.headers?.(method, path),
      ...opts.headers,
    }
    let body: string | FormData | undefined
    if (typeof FormData !== 'undefined' && opts.body instanceof FormData) {
      body = opts.body // fetch sets the multipart Content-Type with its boundary
    } else if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(opts.body)
    }

    // One controller for both the caller's cancellation and our timeout.
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, opts.timeoutMs ?? defaultTimeoutMs)
    const onCallerAbort = () => controller.abort(opts.signal?.reason)
    if (opts.signal?.aborted) controller.abort(opts.signal.reason)
    opts.signal?.addEventListener('abort', onCallerAbort, { once: true })

    let response: Response
    try {
      response = await doFetch(url, { method, headers, body, signal: controller.signal })
    } catch (cause) {
      if (opts.signal?.aborted) throw cause // the caller cancelled: not an error to show
      throw new ApiError({
        kind: timedOut ? 'timeout' : 'network',
        method,
        url,
        message: timedOut ? 'the server did not answer in time' : 'the server could not be reached',
        cause,
      })
    } finally {
      clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onCallerAbort)
    }

    const decoded = await readJson(response).catch(() => ({ ok: false }) as const)
    if (!response.ok) {
      const value = decoded.ok ? decoded.value : undefined
      const why = serverMessage(value)
      const error = new ApiError({
        kind: 'http',
        method,
        url,
        status: response.status,
        body: value,
        message: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${why ? ` (${why})` : ''}`,
      })
      options.onHttpError?.(error, path)
      throw error
    }
    if (!decoded.ok) {
      throw new ApiError({
        kind: 'parse',
        method,
        url,
        status: response.status,
        message: 'the response was not valid JSON',
      })
    }
    return decoded.value as T
  }

  return {
    request,
    get: (path, opts) => request(path, { ...opts, method: 'GET' }),
    post: (path, body, opts) => request(path, { ...opts, body, method: 'POST' }),
    patch: (path, body, opts) => request(path, { ...opts, body, method: 'PATCH' }),
    delete: (path, opts) => request(path, { ...opts, method: 'DELETE' }),
  }
}

/** The client both apps use: same origin as the page. */
export const api = createApiClient()
