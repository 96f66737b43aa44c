import { createRouter, createWebHistory, type RouteLocationRaw, type Router } from 'vue-router'
import { loadSession } from './api/admin'
import { session, setUnauthorizedHandler } from './api/session'
import type { Need } from './rights'
import OverviewView from './views/OverviewView.vue'
import NotFoundView from './views/NotFoundView.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown without a session (the login page); every other route needs one. */
    public?: boolean
    /** What the administrator needs to use the page; without it the page says so (App.vue). */
    need?: Need
  }
}

/** Where to go after login: only a path inside the console, never another origin. */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/'
}

export function loginRoute(redirect: string, reason?: 'expired' | 'logged-out'): RouteLocationRaw {
  const query: Record<string, string> = {}
  if (redirect !== '/') query.redirect = redirect
  if (reason) query.reason = reason
  return { name: 'login', query }
}

export function createAdminRouter(): Router {
  const router = createRouter({
    // BASE_URL is /admin/: route paths below are relative to it.
    history: createWebHistory(import.meta.env.BASE_URL),
    routes: [
      { path: '/', name: 'overview', component: OverviewView },
      {
        path: '/login',
        name: 'login',
        component: () => import('./views/LoginView.vue'),
        meta: { public: true },
      },
      {
        path: '/directory',
        name: 'directory',
        meta: { need: 'contacts' },
        component: () => import('./views/DirectoryView.vue'),
      },
      {
        path: '/directory/import',
        name: 'directory-import',
        meta: { need: 'contacts-edit' },
        component: () => import('./views/ImportView.vue'),
      },
      {
        path: '/apps',
        name: 'apps',
        meta: { need: 'apps' },
        component: () => import('./views/AppsView.vue'),
      },
      {
        path: '/messages',
        name: 'messages',
        meta: { need: 'apps' },
        component: () => import('./views/MessagesView.vue'),
      },
      {
        path: '/identity',
        name: 'identity',
        meta: { need: 'contacts-edit' },
        component: () => import('./views/IdentityView.vue'),
      },
      {
        path: '/audit',
        name: 'audit',
        component: () => import('./views/AuditView.vue'),
      },
      {
        path: '/administrators',
        name: 'administrators',
        component: () => import('./views/AdministratorsView.vue'),
        meta: { need: 'super' },
      },
      // The server answers every unknown /admin/... path with index.html.
      { path: '/:pathMatch(.*)*', name: 'not-found', component: NotFoundView },
    ],
  })

  router.beforeEach(async (to) => {
    if (to.meta.public) {
      // Someone already logged in has no business on the login page.
      if (to.name === 'login' && session.value) return safeRedirect(to.query.redirect)
      return true
    }
    if (session.value) return true
    try {
      if (await loadSession()) return true
    } catch {
      // The server could not say (unreachable, or not answering as expected): the login
      // page is where that can be shown and retried.
    }
    return loginRoute(to.fullPath)
  })

  // A 401 that ends the session (api/admin.ts): log in again and come back here.
  setUnauthorizedHandler(() => {
    const here = router.currentRoute.value
    if (here.meta.public) return
    void router.replace(loginRoute(here.fullPath, 'expired'))
  })

  return router
}
