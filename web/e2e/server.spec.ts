// What the front end relies on from the server, checked without a browser: the /healthz
// contract and the static hosting of both apps (assets, and index.html for deep links).
import { expect, test } from '@playwright/test'

test.describe('server contract', () => {
  test('GET /healthz reports ok with version, storage and uptime', async ({ request }) => {
    const response = await request.get('/healthz')
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toMatch(/^application\/json/)
    const body = await response.json()
    expect(body).toMatchObject({ status: 'ok', storage: { ok: true } })
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/)
    expect(['sqlite', 'postgres']).toContain(body.storage.backend)
    expect(Number.isInteger(body.uptime_seconds)).toBe(true)
    expect(body.uptime_seconds).toBeGreaterThanOrEqual(0)
  })

  for (const { name, path, deepLink, assetPrefix } of [
    { name: 'member client', path: '/', deepLink: '/some/route', assetPrefix: '/assets/' },
    { name: 'admin console', path: '/admin/', deepLink: '/admin/some/route', assetPrefix: '/admin/assets/' },
  ]) {
    test(`serves the ${name}, its hashed assets, and index.html for deep links`, async ({
      request,
    }) => {
      const index = await request.get(path)
      expect(index.status()).toBe(200)
      expect(index.headers()['content-type']).toMatch(/^text\/html/)
      const html = await index.text()
      expect(html).toContain('<div id="app"></div>')

      const scripts = [...html.matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1]!)
      expect(scripts.length).toBeGreaterThan(0)
      for (const src of scripts) {
        expect(src.startsWith(assetPrefix), `${src} should be under ${assetPrefix}`).toBe(true)
        const asset = await request.get(src)
        expect(asset.status(), src).toBe(200)
        expect(asset.headers()['content-type'], src).toMatch(/javascript/)
      }

      const deep = await request.get(deepLink)
      expect(deep.status()).toBe(200)
      expect(await deep.text()).toBe(html)
    })
  }
})
