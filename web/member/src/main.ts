import { createApp } from 'vue'
import 'vant/lib/index.css'
import { createAppI18n } from '@shared/i18n'
import App from './App.vue'
import { createMemberRouter } from './router'
import './styles.css'

createApp(App).use(createAppI18n()).use(createMemberRouter()).mount('#app')
