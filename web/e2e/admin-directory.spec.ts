// The admin console's directory, in each language, against the real server: the department
// tree with its counts, search (pinyin initials), bulk actions and department management.
// Every test makes its own departments and members (through /cgi-bin) under unique names.
import type { APIRequestContext, Locator, Page } from '@playwright/test'
import {
  AdminApi,
  LANGS,
  WeCom,
  expect,
  expectNoHorizontalOverflow,
  test,
  unique,
} from './fixtures'

const DIR = {
  'zh-CN': {
    title: '通讯录',
    total: (n: number) => `共 ${n} 人`,
    statusActive: '已激活',
    statusNotActivated: '未激活',
    selected: (n: number) => `已选 ${n} 人`,
    move: '移动到部门',
    addTag: '添加标签',
    removeTag: '移除标签',
    delete: '删除',
    confirm: '确定',
    cancel: '取消',
    moved: (n: number) => `已移动 ${n} 名成员`,
    tagged: (n: number) => `已为 ${n} 名成员添加标签`,
    untagged: (n: number) => `已从 ${n} 名成员移除标签`,
    deleted: (n: number) => `已删除 ${n} 名成员`,
    deleteConfirm: (n: number) => `确定删除选中的 ${n} 名成员吗？此操作无法撤销。`,
    deleteButton: (n: number) => `删除 ${n} 名成员`,
    newDepartment: '新建部门',
    create: '新建',
    created: (name: string) => `已新建部门“${name}”`,
    deptDelete: '删除',
    deptDeleted: (name: string) => `已删除部门“${name}”`,
    hasMembers: '部门下还有成员，不能删除。请先移走或删除这些成员。',
    deleteFailed: (name: string) => `无法删除部门“${name}”`,
    searchHint: '支持拼音和首字母：输入 zs 即可找到“张三”。',
    rename: '重命名',
    save: '保存',
    renamed: (name: string) => `部门已重命名为“${name}”`,
  },
  en: {
    title: 'Directory',
    total: (n: number) => `${n} members`,
    statusActive: 'Active',
    statusNotActivated: 'Not activated',
    selected: (n: number) => `${n} selected`,
    move: 'Move to department',
    addTag: 'Add tag',
    removeTag: 'Remove tag',
    delete: 'Delete',
    confirm: 'OK',
    cancel: 'Cancel',
    moved: (n: number) => `${n} members moved`,
    tagged: (n: number) => `Tag added to ${n} members`,
    untagged: (n: number) => `Tag removed from ${n} members`,
    deleted: (n: number) => `${n} members deleted`,
    deleteConfirm: (n: number) => `Delete the ${n} selected members? This cannot be undone.`,
    deleteButton: (n: number) => `Delete ${n} members`,
    newDepartment: 'New department',
    create: 'Create',
    created: (name: string) => `Department "${name}" created`,
    deptDelete: 'Delete',
    deptDeleted: (name: string) => `Department "${name}" deleted`,
    hasMembers: 'The department still has members, so it cannot be deleted. Move or delete them first.',
    deleteFailed: (name: string) => `Could not delete "${name}"`,
    searchHint: 'Pinyin and initials work too: "zs" finds 张三.',
    rename: 'Rename',
    save: 'Save',
    renamed: (name: string) => `Department renamed to "${name}"`,
  },
} as const

interface Seed {
  sfx: string
  top: { id: number; name: string }
  rd: { id: number; name: string }
  mk: { id: number; name: string }
  zhangsan: string
  lisi: string
  wangwu: string
}

/** A department with two sub-departments: 研发 (张三, 李四) and 市场 (王五). */
async function seed(request: APIRequestContext): Promise<Seed> {
  const sfx = unique()
  const wecom = await WeCom.connect(request)
  const topName = `测试部${sfx}`
  const rdName = `研发${sfx}`
  const mkName = `市场${sfx}`
  const top = await wecom.createDepartment(topName, 1)
  const rd = await wecom.createDepartment(rdName, top)
  const mk = await wecom.createDepartment(mkName, top)
  const s: Seed = {
    sfx,
    top: { id: top, name: topName },
    rd: { id: rd, name: rdName },
    mk: { id: mk, name: mkName },
    zhangsan: `zhangsan_${sfx}`,
    lisi: `lisi_${sfx}`,
    wangwu: `wangwu_${sfx}`,
  }
  await wecom.createMember({ userid: s.zhangsan, name: '张三', department: [rd], position: '工程师' })
  await wecom.createMember({ userid: s.lisi, name: '李四', department: [rd] })
  await wecom.createMember({ userid: s.wangwu, name: '王五', department: [mk] })
  return s
}

/** The department tree the user can see: beside the list, or in the drawer on a phone. */
async function openTree(page: Page, isMobile: boolean): Promise<Locator> {
  if (!isMobile) return page.getByTestId('directory').getByTestId('dept-tree')
  const drawer = page.locator('.dept-drawer')
  if (!(await drawer.isVisible())) await page.getByTestId('dept-picker').click()
  await expect(drawer).toBeVisible()
  return drawer.getByTestId('dept-tree')
}

async function closeTree(page: Page, isMobile: boolean) {
  if (!isMobile) return
  const drawer = page.locator('.dept-drawer')
  if (await drawer.isVisible()) {
    await page.keyboard.press('Escape')
    await expect(drawer).toBeHidden()
  }
}

function node(tree: Locator, name: string): Locator {
  return tree.locator(`[data-testid="dept-node"][data-dept-name="${name}"]`)
}

async function expectCount(page: Page, isMobile: boolean, name: string, n: number) {
  const tree = await openTree(page, isMobile)
  await expect(node(tree, name).getByTestId('dept-count')).toHaveText(String(n))
  await closeTree(page, isMobile)
}

async function selectDepartment(page: Page, isMobile: boolean, name: string) {
  const tree = await openTree(page, isMobile)
  await node(tree, name).getByTestId('dept-name').click()
  if (isMobile) {
    await expect(page.locator('.dept-drawer')).toBeHidden()
    await expect(page.getByTestId('dept-picker-name')).toHaveText(name)
  } else {
    await expect(page.getByTestId('selected-department')).toHaveText(name)
  }
}

function rows(page: Page): Locator {
  return page.getByTestId('member-table').locator('tbody tr.el-table__row')
}

function row(page: Page, userid: string): Locator {
  return rows(page).filter({ has: page.getByTestId('cell-userid').getByText(userid, { exact: true }) })
}

async function expectUserids(page: Page, userids: string[]) {
  await expect(page.getByTestId('member-table').getByTestId('cell-userid')).toHaveText(userids, {
    useInnerText: true,
  })
}

async function select(page: Page, userids: string[], selectedText: string) {
  for (const u of userids) await row(page, u).locator('.el-checkbox').click()
  await expect(page.getByTestId('selected-count')).toHaveText(selectedText)
}

/** The toast (ElMessage) of that kind saying `text` (earlier ones may still be showing). */
function toast(page: Page, kind: 'success' | 'error', text: string): Locator {
  return page
    .getByTestId(kind === 'success' ? 'success-message' : 'error-message')
    .filter({ hasText: text })
}

for (const lang of LANGS) {
  const tx = DIR[lang]

  test.describe(`admin directory (${lang})`, () => {
    test.use({ lang })

    test('the tree counts members per subtree; filters and "zs" search find the right people', async ({
      page,
      request,
      isMobile,
    }) => {
      const s = await seed(request)
      const api = await AdminApi.login(request)
      // What the server counts, to hold the page to.
      const counted = await api.departments()
      expect(counted.find((d) => d.id === s.top.id)).toMatchObject({ total_count: 3, member_count: 0 })
      expect(counted.find((d) => d.id === s.rd.id)).toMatchObject({ total_count: 2, member_count: 2 })

      await page.goto('/admin/directory')
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(tx.title)
      await expectCount(page, isMobile, s.top.name, 3)
      await expectCount(page, isMobile, s.rd.name, 2)
      await expectCount(page, isMobile, s.mk.name, 1)

      await selectDepartment(page, isMobile, s.top.name)
      await expect(page.getByTestId('member-total')).toHaveText(tx.total(3))
      // Sorted by name in pinyin: li, wang, zhang.
      await expectUserids(page, [s.lisi, s.wangwu, s.zhangsan])
      await expect(row(page, s.zhangsan).getByTestId('cell-departments')).toHaveText(s.rd.name)
      await expect(row(page, s.zhangsan).getByTestId('cell-status')).toHaveText(tx.statusNotActivated)

      // Without sub-departments: nobody sits directly in the top department.
      await page.getByTestId('recursive').click()
      await expect(page.getByTestId('member-total')).toHaveText(tx.total(0))
      await expect(rows(page)).toHaveCount(0)
      await page.getByTestId('recursive').click()
      await expect(page.getByTestId('member-total')).toHaveText(tx.total(3))

      // Status: new members are not activated yet; none is active.
      await page.getByTestId('status-filter').click()
      await page.getByRole('option', { name: tx.statusActive, exact: true }).click()
      await expect(page.getByTestId('member-total')).toHaveText(tx.total(0))
      await page.getByTestId('status-filter').click()
      await page.getByRole('option', { name: tx.statusNotActivated, exact: true }).click()
      await expect(page.getByTestId('member-total')).toHaveText(tx.total(3))

      // Initials in pinyin: "zs" is 张三 (Zhang San) and nobody else here.
      await expect(page.getByText(tx.searchHint)).toBeVisible()
      await page.getByTestId('member-search').fill('zs')
      await expect(page.getByTestId('member-total')).toHaveText(tx.total(1))
      await expectUserids(page, [s.zhangsan])
      await expect(row(page, s.zhangsan).getByTestId('cell-name')).toHaveText('张三')
      const viaApi = await api.members({ q: 'zs', department_id: s.top.id, recursive: 1 })
      expect(viaApi.members.map((m) => m.userid)).toEqual([s.zhangsan])
    })

    test('moving members in bulk changes the counts', async ({ page, request, isMobile }) => {
      const s = await seed(request)
      const api = await AdminApi.login(request)
      await page.goto('/admin/directory')
      await selectDepartment(page, isMobile, s.rd.name)
      await expectUserids(page, [s.lisi, s.zhangsan])

      await select(page, [s.lisi, s.zhangsan], tx.selected(2))
      await page.getByRole('button', { name: tx.move }).click()
      const dialog = page.getByTestId('move-dialog')
      await expect(dialog).toBeVisible()
      await node(dialog.getByTestId('move-tree'), s.mk.name).click()
      await dialog.getByTestId('move-confirm').click()
      await expect(toast(page, 'success', tx.moved(2))).toBeVisible()
      await expect(dialog).toBeHidden()

      await expect(page.getByTestId('member-total')).toHaveText(tx.total(0))
      await expectCount(page, isMobile, s.rd.name, 0)
      await expectCount(page, isMobile, s.mk.name, 3)
      await expectCount(page, isMobile, s.top.name, 3)
      const moved = await api.members({ department_id: s.mk.id })
      expect(moved.members.map((m) => m.userid).sort()).toEqual([s.lisi, s.wangwu, s.zhangsan].sort())
    })

    test('adding and removing a tag in bulk', async ({ page, request, isMobile }) => {
      const s = await seed(request)
      const wecom = await WeCom.connect(request)
      const tagName = `标签${s.sfx}`
      const tagId = await wecom.createTag(tagName)
      const api = await AdminApi.login(request)

      await page.goto('/admin/directory')
      await selectDepartment(page, isMobile, s.top.name)
      await select(page, [s.zhangsan, s.wangwu], tx.selected(2))
      await page.getByRole('button', { name: tx.addTag }).click()
      const dialog = page.getByTestId('tag-dialog')
      await dialog.getByTestId('tag-select').click()
      await page.getByRole('option', { name: tagName }).click()
      await dialog.getByTestId('tag-confirm').click()
      await expect(toast(page, 'success', tx.tagged(2))).toBeVisible()
      await expect(dialog).toBeHidden()

      const tagged = await api.members({ tag_id: tagId })
      expect(tagged.members.map((m) => m.userid).sort()).toEqual([s.wangwu, s.zhangsan].sort())
      expect(tagged.members[0]!.tags.map((t) => t.name)).toContain(tagName)

      await select(page, [s.wangwu], tx.selected(1))
      await page.getByRole('button', { name: tx.removeTag }).click()
      await dialog.getByTestId('tag-select').click()
      await page.getByRole('option', { name: tagName }).click()
      await dialog.getByTestId('tag-confirm').click()
      await expect(toast(page, 'success', tx.untagged(1))).toBeVisible()
      expect((await api.members({ tag_id: tagId })).members.map((m) => m.userid)).toEqual([s.zhangsan])
    })

    test('deleting members asks first, naming how many', async ({ page, request, isMobile }) => {
      const s = await seed(request)
      const api = await AdminApi.login(request)
      await page.goto('/admin/directory')
      await selectDepartment(page, isMobile, s.rd.name)
      await select(page, [s.lisi, s.zhangsan], tx.selected(2))

      await page.getByTestId('bulk-delete').click()
      const box = page.locator('.el-message-box')
      await expect(box).toContainText(tx.deleteConfirm(2))
      // Cancelling deletes nobody.
      await box.getByRole('button', { name: tx.cancel }).click()
      await expect(box).toBeHidden()
      expect((await api.members({ department_id: s.rd.id })).total).toBe(2)

      await page.getByTestId('bulk-delete').click()
      // Watched from before the click: the toast lasts 3 s, which a busy machine can miss.
      const deleted = toast(page, 'success', tx.deleted(2)).waitFor({ state: 'visible' })
      await box.getByRole('button', { name: tx.deleteButton(2) }).click()
      await deleted
      await expect(page.getByTestId('member-total')).toHaveText(tx.total(0))
      await expectCount(page, isMobile, s.rd.name, 0)
      await expectCount(page, isMobile, s.top.name, 1)
      expect((await api.members({ department_id: s.rd.id })).total).toBe(0)
      // Gone from the organisation, not only from the department.
      for (const userid of [s.lisi, s.zhangsan]) expect((await api.members({ q: userid })).total).toBe(0)
      expect(await (await WeCom.connect(request)).memberExists(s.zhangsan)).toBe(false)
      expect((await api.members({ q: s.wangwu })).total).toBe(1)
    })

    test('departments: create, rename, a refused delete (has members) and a delete', async ({
      page,
      request,
      isMobile,
    }) => {
      const s = await seed(request)
      const api = await AdminApi.login(request)
      const newName = `新部门${s.sfx}`
      const renamed = `改名${s.sfx}`

      await page.goto('/admin/directory')
      await selectDepartment(page, isMobile, s.top.name)
      // "New department" creates under the selected one.
      if (isMobile) await page.getByTestId('dept-picker').click()
      await page.getByRole('button', { name: tx.newDepartment }).click()
      const dialog = page.getByTestId('dept-dialog')
      await expect(dialog.getByTestId('dept-dialog-parent')).toHaveText(s.top.name)
      await dialog.getByTestId('dept-dialog-name').fill(newName)
      await dialog.getByRole('button', { name: tx.create }).click()
      await expect(toast(page, 'success', tx.created(newName))).toBeVisible()
      await expect(dialog).toBeHidden()
      const made = await api.department(newName)
      expect(made).toMatchObject({ parentid: s.top.id, total_count: 0 })
      await expectCount(page, isMobile, newName, 0)

      // Rename it from its own menu.
      let tree = await openTree(page, isMobile)
      await node(tree, newName).getByTestId('dept-actions').click()
      await page.getByRole('menuitem', { name: tx.rename }).click()
      await dialog.getByTestId('dept-dialog-name').fill(renamed)
      await dialog.getByRole('button', { name: tx.save }).click()
      await expect(toast(page, 'success', tx.renamed(renamed))).toBeVisible()
      expect((await api.departments()).find((d) => d.id === made!.id)?.name).toBe(renamed)

      // 研发 has members: the server refuses, and the page says why in words.
      tree = await openTree(page, isMobile)
      await node(tree, s.rd.name).getByTestId('dept-actions').click()
      await page.getByRole('menuitem', { name: tx.deptDelete }).click()
      const box = page.locator('.el-message-box')
      await box.getByRole('button', { name: tx.deptDelete }).click()
      const error = toast(page, 'error', tx.hasMembers)
      await expect(error).toBeVisible()
      await expect(error).toContainText(tx.deleteFailed(s.rd.name))
      await expect(error).toHaveAttribute('data-code', 'department_has_members')
      expect(await api.department(s.rd.name)).toBeDefined()
      await expectCount(page, isMobile, s.rd.name, 2)

      // The empty one goes.
      tree = await openTree(page, isMobile)
      await node(tree, renamed).getByTestId('dept-actions').click()
      await page.getByRole('menuitem', { name: tx.deptDelete }).click()
      await box.getByRole('button', { name: tx.deptDelete }).click()
      await expect(toast(page, 'success', tx.deptDeleted(renamed))).toBeVisible()
      tree = await openTree(page, isMobile)
      await expect(node(tree, renamed)).toHaveCount(0)
      expect(await api.department(renamed)).toBeUndefined()
    })

    test('the directory has no horizontal overflow, with members and a selection', async ({
      page,
      request,
      isMobile,
    }) => {
      const s = await seed(request)
      await page.goto('/admin/directory')
      await selectDepartment(page, isMobile, s.top.name)
      await expect(page.getByTestId('member-total')).toHaveText(tx.total(3))
      await select(page, [s.zhangsan], tx.selected(1))
      await expect(page.getByTestId('bulk-bar')).toBeVisible()
      await expectNoHorizontalOverflow(page)
      await openTree(page, isMobile)
      await expectNoHorizontalOverflow(page)
    })
  })
}
