import { createRouter, createWebHistory } from 'vue-router'
import HomeView from './views/HomeView.vue'
import NotFoundView from './views/NotFoundView.vue'
import ThreadView from './views/ThreadView.vue'

export function createMemberRouter() {
  return createRouter({
    history: createWebHistory(import.meta.env.BASE_URL),
    routes: [
      { path: '/', name: 'home', component: HomeView },
      // An app's own conversation, or one of its group chats.
      { path: '/c/:agentid(\\d+)/:chatid?', name: 'thread', component: ThreadView },
      // Sign-in and activation (also the invitation link's target), and the member's devices.
      { path: '/signin', name: 'signin', component: () => import('./views/SignInView.vue') },
      // Applying to join, for someone not in the directory yet: public like sign-in (no route
      // here needs a session; each screen asks the server for what it shows).
      { path: '/register', name: 'register', component: () => import('./views/RegisterView.vue') },
      { path: '/devices', name: 'devices', component: () => import('./views/DevicesView.vue') },
      // Signing in to an app's web page (/connect/oauth2/authorize hands the browser here).
      { path: '/sso/authorize', name: 'sso', component: () => import('./views/SsoAuthorizeView.vue') },
      // The server answers every unknown path with index.html; we say "not found" here.
      { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundView },
    ],
  })
}
