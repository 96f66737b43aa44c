// Common Vite settings for the two apps. Each app has its own root folder (with its
// index.html), its own public base and its own output folder under dist/.
import { fileURLToPath } from 'node:url'
import { defineConfig, type UserConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

const webDir = fileURLToPath(new URL('.', import.meta.url))

export interface AppOptions {
  /** Folder under web/ holding the app's index.html and src/; also its dist/ subfolder. */
  name: 'member' | 'admin'
  /** Public path the server mounts the app at. */
  base: string
  /** Dev-server port (only for `npm run dev:*`). */
  devPort: number
}

export function appConfig({ name, base, devPort }: AppOptions): UserConfig {
  return defineConfig({
    root: `${webDir}${name}`,
    base,
    publicDir: `${webDir}shared/public`,
    plugins: [vue()],
    define: {
      // vue-i18n build flags: Composition API only, no devtools hooks in production.
      __VUE_I18N_FULL_INSTALL__: true,
      __VUE_I18N_LEGACY_API__: false,
      __INTLIFY_PROD_DEVTOOLS__: false,
    },
    resolve: {
      alias: { '@shared': `${webDir}shared` },
    },
    build: {
      outDir: `${webDir}dist/${name}`,
      emptyOutDir: true,
      assetsDir: 'assets',
      // Element Plus and Vant are large; a warning at Vite's default would be noise.
      chunkSizeWarningLimit: 1024,
    },
    server: {
      port: devPort,
      strictPort: false,
      // In development the API lives on a running corphub; point CORPHUB_DEV_API at it.
      proxy: process.env.CORPHUB_DEV_API
        ? Object.fromEntries(
            ['/healthz', '/api', '/admin/api'].map((p) => [p, process.env.CORPHUB_DEV_API!]),
          )
        : undefined,
    },
  })
}
