// How the Administrators page names things: a group's scope by the departments' and tags' names,
// its rights in words, an administrator's groups by their names. An id the lists do not hold
// (deleted meanwhile) shows as "department 12", never as nothing.
import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { App, Department, Tag } from '../api/admin'
import type { AdminGroup } from '../api/access'

export interface Lookups {
  departments: Ref<readonly Department[]>
  tags: Ref<readonly Tag[]>
  apps: Ref<readonly App[]>
  groups: Ref<readonly AdminGroup[]>
}

export function useAccessFormat(lists: Lookups) {
  const { t } = useI18n({ useScope: 'global' })
  const join = (parts: string[]) => parts.join(t('access.separator'))

  function departmentName(id: number): string {
    return lists.departments.value.find((d) => d.id === id)?.name ?? t('access.unknown.department', { id })
  }
  function tagName(id: number): string {
    return lists.tags.value.find((tag) => tag.id === id)?.name ?? t('access.unknown.tag', { id })
  }
  function appName(agentid: number): string {
    return lists.apps.value.find((a) => a.agentid === agentid)?.name ?? t('access.unknown.app', { id: agentid })
  }
  function groupName(id: number): string {
    return lists.groups.value.find((g) => g.id === id)?.name ?? t('access.unknown.group', { id })
  }

  function departmentNames(group: AdminGroup): string {
    return join(group.departments.map(departmentName))
  }
  function tagNames(group: AdminGroup): string {
    return join(group.tags.map(tagName))
  }
  function contactsText(right: string): string {
    return right === 'edit' ? t('access.contacts.edit') : right === 'read' ? t('access.contacts.read') : right
  }
  function appRightText(right: string): string {
    return right === 'manage' ? t('access.appRight.manage') : right === 'send' ? t('access.appRight.send') : right
  }
  function appsText(group: AdminGroup): string {
    if (group.apps.length === 0) return t('access.none')
    return join(group.apps.map((a) => t('access.appWithRight', { name: appName(a.agentid), right: appRightText(a.right) })))
  }
  function groupNames(ids: readonly number[]): string {
    return join(ids.map(groupName))
  }
  function roleText(role: string): string {
    return role === 'super' ? t('access.roles.super') : role === 'scoped' ? t('access.roles.scoped') : role
  }

  return { departmentNames, tagNames, contactsText, appRightText, appsText, groupNames, roleText, appName }
}
