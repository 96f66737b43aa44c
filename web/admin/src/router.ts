import { createRouter, createWebHistory } from 'vue-router'
import OverviewView from './views/OverviewView.vue'
import NotFoundView from './views/NotFoundView.vue'

export function createAdminRouter() {
  return createRouter({
    // BASE_URL is /admin/: route paths below are relative to it.
    history: createWebHistory(import.meta.env.BASE_URL),
    routes: [
      { path: '/', name: 'overview', component: OverviewView },
      // The server answers every unknown /admin/... path with index.html.
      { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundView },
    ],
  })
}
