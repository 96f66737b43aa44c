import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import { createAppI18n } from '@shared/i18n'
import App from './App.vue'
import { createAdminRouter } from './router'
import './styles.css'

const router = createAdminRouter()
const app = createApp(App).use(createAppI18n()).use(router)
// Mount once the first route (and its session check) is settled, so that a logged-out
// visitor never sees the console's navigation flash up before the login page.
void router.isReady().finally(() => app.mount('#app'))
