// What the administrator logged in may do, from the session's rights (docs/admin-api.md,
// "Delegated administration"): the menu, the routes and the pages offer only that. The server
// checks every call anyway; this only keeps the console from offering what it would refuse.
import { computed } from 'vue'
import { NO_RIGHTS, session, type AdminRights } from './api/session'

/** What a screen needs: a super admin, any contacts right, the contacts edit right, an app right. */
export type Need = 'super' | 'contacts' | 'contacts-edit' | 'apps'

export function allows(rights: AdminRights, need: Need | undefined): boolean {
  if (!need || rights.super) return true
  switch (need) {
    case 'super':
      return false
    case 'contacts':
      return rights.contacts !== 'none'
    case 'contacts-edit':
      return rights.contacts === 'edit'
    case 'apps':
      return rights.all_apps || rights.apps.length > 0
  }
}

export function useRights() {
  const rights = computed<AdminRights>(() => session.value?.rights ?? NO_RIGHTS)
  return {
    rights,
    isSuper: computed(() => rights.value.super),
    canEditContacts: computed(() => allows(rights.value, 'contacts-edit')),
    can: (need: Need | undefined) => allows(rights.value, need),
  }
}
