import { createApp } from 'vue'
import 'element-plus/dist/index.css'
import { createAppI18n } from '@shared/i18n'
import App from './App.vue'
import { createAdminRouter } from './router'
import './styles.css'

createApp(App).use(createAppI18n()).use(createAdminRouter()).mount('#app')
