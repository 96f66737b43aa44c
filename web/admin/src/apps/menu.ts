// The menu editor's draft, what it checks before anything is sent (WeCom's rules, names, keys and
// urls in UTF-8 bytes, as src/apps/menu.cpp judges them), and the menu JSON it makes of it. A
// draft keeps every field of a button while its type or kind is switched; the JSON holds only
// what its type uses.
import { utf8Bytes } from '../api/messages'
import {
  MENU_LIMITS,
  isSubmenu,
  usesKey,
  type AppMenu,
  type MenuButton,
  type MenuLeaf,
  type MenuLeafType,
} from '../api/apps'
import { isHttpUrl } from './checks'

export interface LeafDraft {
  /** The editor's own, for the lists' keys. */
  id: number
  type: MenuLeafType
  name: string
  key: string
  url: string
  appid: string
  pagepath: string
}

/** A top button: a leaf (its own fields) or, with `submenu`, a submenu of `sub`. */
export interface ButtonDraft extends LeafDraft {
  submenu: boolean
  sub: LeafDraft[]
}

let nextId = 0

export function newLeaf(from: Partial<MenuLeaf> = {}): LeafDraft {
  nextId += 1
  return {
    id: nextId,
    type: from.type ?? 'click',
    name: from.name ?? '',
    key: from.key ?? '',
    url: from.url ?? '',
    appid: from.appid ?? '',
    pagepath: from.pagepath ?? '',
  }
}

export function newButton(from?: MenuButton): ButtonDraft {
  if (from && isSubmenu(from)) {
    return { ...newLeaf({ name: from.name }), submenu: true, sub: from.sub_button.map((leaf) => newLeaf(leaf)) }
  }
  return { ...newLeaf(from), submenu: false, sub: [] }
}

/** The draft of a saved menu; a new menu starts with one button. */
export function draftOf(menu: AppMenu | null): ButtonDraft[] {
  return menu && menu.button.length > 0 ? menu.button.map((b) => newButton(b)) : [newButton()]
}

function leafOf(draft: LeafDraft): MenuLeaf {
  const leaf: MenuLeaf = { type: draft.type, name: draft.name.trim() }
  if (usesKey(draft.type)) leaf.key = draft.key.trim()
  if (draft.type === 'view') leaf.url = draft.url.trim()
  if (draft.type === 'view_miniprogram') {
    leaf.appid = draft.appid.trim()
    leaf.pagepath = draft.pagepath.trim()
  }
  return leaf
}

/** The menu JSON the server takes (PUT …/menu, menu/create). */
export function menuOf(buttons: readonly ButtonDraft[]): AppMenu {
  return {
    button: buttons.map((b) => (b.submenu ? { name: b.name.trim(), sub_button: b.sub.map(leafOf) } : leafOf(b))),
  }
}

// ---- Checks -----------------------------------------------------------------------------------

/** What is wrong with one field: a message key under apps.menuDialog.problems and its values. */
export interface Problem {
  key: string
  values?: Record<string, number>
}

export interface LeafProblems {
  name?: Problem
  key?: Problem
  url?: Problem
  appid?: Problem
  pagepath?: Problem
}

export interface ButtonProblems extends LeafProblems {
  /** A submenu without leaves or with too many. */
  sub?: Problem
  subs: LeafProblems[]
}

export interface MenuProblems {
  /** No button, or too many. */
  count?: Problem
  buttons: ButtonProblems[]
  /** How many problems in all. */
  total: number
}

/** 1 to `max` bytes. */
export function checkName(name: string, max: number): Problem | undefined {
  const value = name.trim()
  if (!value) return { key: 'nameRequired' }
  const n = utf8Bytes(value)
  return n > max ? { key: 'nameTooLong', values: { n, max } } : undefined
}

function checkLeaf(leaf: LeafDraft, maxName: number): LeafProblems {
  const problems: LeafProblems = {}
  problems.name = checkName(leaf.name, maxName)
  if (usesKey(leaf.type)) {
    const key = leaf.key.trim()
    const n = utf8Bytes(key)
    if (!key) problems.key = { key: 'keyRequired' }
    else if (n > MENU_LIMITS.key) problems.key = { key: 'keyTooLong', values: { n, max: MENU_LIMITS.key } }
  }
  if (leaf.type === 'view') {
    const url = leaf.url.trim()
    if (!url) problems.url = { key: 'urlRequired' }
    else if (utf8Bytes(url) > MENU_LIMITS.url) problems.url = { key: 'urlTooLong', values: { max: MENU_LIMITS.url } }
    else if (!isHttpUrl(url)) problems.url = { key: 'urlInvalid' }
  }
  if (leaf.type === 'view_miniprogram') {
    if (!leaf.appid.trim()) problems.appid = { key: 'appidRequired' }
    if (!leaf.pagepath.trim()) problems.pagepath = { key: 'pagepathRequired' }
  }
  return problems
}

const count = (p: LeafProblems) => Object.values(p).filter(Boolean).length

export function checkMenu(buttons: readonly ButtonDraft[]): MenuProblems {
  let total = 0
  let countProblem: Problem | undefined
  if (buttons.length === 0) countProblem = { key: 'noButtons' }
  else if (buttons.length > MENU_LIMITS.buttons) countProblem = { key: 'tooManyButtons', values: { max: MENU_LIMITS.buttons } }
  if (countProblem) total += 1
  const checked = buttons.map((b): ButtonProblems => {
    if (!b.submenu) {
      const leaf = checkLeaf(b, MENU_LIMITS.topName)
      total += count(leaf)
      return { ...leaf, subs: [] }
    }
    const problems: ButtonProblems = { name: checkName(b.name, MENU_LIMITS.topName), subs: [] }
    if (b.sub.length === 0) problems.sub = { key: 'noLeaves' }
    else if (b.sub.length > MENU_LIMITS.subButtons) problems.sub = { key: 'tooManyLeaves', values: { max: MENU_LIMITS.subButtons } }
    problems.subs = b.sub.map((leaf) => checkLeaf(leaf, MENU_LIMITS.subName))
    total += (problems.name ? 1 : 0) + (problems.sub ? 1 : 0) + problems.subs.reduce((n, p) => n + count(p), 0)
    return problems
  })
  return { count: countProblem, buttons: checked, total }
}
