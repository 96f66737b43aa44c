import { appConfig } from './vite.app-config.ts'

// Member client: served at the site root.
export default appConfig({ name: 'member', base: '/', devPort: 5173 })
