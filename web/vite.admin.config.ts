import { appConfig } from './vite.app-config.ts'

// Admin console: served under /admin/.
export default appConfig({ name: 'admin', base: '/admin/', devPort: 5174 })
