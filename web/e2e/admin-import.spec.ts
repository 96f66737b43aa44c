// Importing members in the admin console, in each language, against the real server: the
// check (dry run) changes nothing and reports the bad row; the import runs as a job with
// progress, then reports; its members and departments show in the directory. XLSX too.
import fs from 'node:fs'
import type { Locator, Page } from '@playwright/test'
import {
  AdminApi,
  LANGS,
  WeCom,
  expect,
  expectNoHorizontalOverflow,
  test,
  unique,
  uniqueMobile,
  type Lang,
} from './fixtures'

const IMP = {
  'zh-CN': {
    title: '批量导入成员',
    header: ['账号', '姓名', '手机', '部门', '职务'],
    templateHeader: ['账号', '姓名', 'IM账号', '手机', '邮箱', '部门', '职务'],
    check: '检查',
    import: '开始导入',
    dryTitle: '检查结果（尚未导入）',
    create: '新建',
    update: '更新',
    failed: '失败',
    mobileInvalid: '手机号格式不正确。',
    finished: '导入完成',
    back: '返回通讯录',
    fileInvalid: '文件无法导入：请使用 CSV 或 XLSX 文件，包含“账号”和“姓名”列以及至少一行数据。',
    wrongType: '请选择 CSV 或 XLSX 文件',
    directory: '通讯录',
    importButton: '批量导入',
  },
  en: {
    title: 'Import members',
    header: ['Account', 'Name', 'Mobile', 'Departments', 'Positions'],
    templateHeader: ['Account', 'Name', 'IM ID', 'Mobile', 'Email', 'Departments', 'Positions'],
    check: 'Check',
    import: 'Import',
    dryTitle: 'Check result (nothing imported yet)',
    create: 'New',
    update: 'Update',
    failed: 'Failed',
    mobileInvalid: 'The mobile number is not valid.',
    finished: 'Finished',
    back: 'Back to the directory',
    fileInvalid:
      'The file cannot be imported: use a CSV or XLSX file with the Account and Name columns and at least one row.',
    wrongType: 'Choose a CSV or XLSX file',
    directory: 'Directory',
    importButton: 'Import',
  },
} as const

const csv = (rows: string[][]) => rows.map((r) => r.join(',')).join('\r\n') + '\r\n'

function stat(scope: Locator, which: 'created' | 'updated' | 'failed' | 'departments-count') {
  return scope.getByTestId(`report-${which}`).locator('.stat-value')
}

async function upload(page: Page, name: string, content: string | Buffer, mimeType = 'text/csv') {
  await page.getByTestId('import-file').setInputFiles({
    name,
    mimeType,
    buffer: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
  })
  await expect(page.getByTestId('file-name')).toHaveText(name)
}

/** Opens the import page the way a user would: from the directory. */
async function openImport(page: Page, lang: Lang) {
  await page.goto('/admin/directory')
  await page.getByTestId('directory').getByRole('link', { name: IMP[lang].importButton }).click()
  await expect(page).toHaveURL(/\/admin\/directory\/import$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(IMP[lang].title)
}

function treeNode(page: Page, isMobile: boolean, name: string): Locator {
  const scope = isMobile ? page.locator('.dept-drawer') : page.getByTestId('directory')
  return scope.locator(`[data-testid="dept-node"][data-dept-name="${name}"]`)
}

for (const lang of LANGS) {
  const tx = IMP[lang]

  test.describe(`admin import (${lang})`, () => {
    test.use({ lang })

    test('a check reports the bad row and changes nothing; the import then creates members and departments', async ({
      page,
      request,
      isMobile,
    }) => {
      test.setTimeout(60_000)
      const sfx = unique()
      const top = `导入${sfx}`
      const a = `imp_a_${sfx}`
      const b = `imp_b_${sfx}`
      const c = `imp_c_${sfx}`
      const file = csv([
        [...tx.header],
        [a, '赵六', uniqueMobile(), `${top}/后端`, '工程师'],
        [b, '钱七', uniqueMobile(), `${top}/前端`, ''],
        [c, '孙八', '123', `${top}/后端`, ''],
      ])
      const api = await AdminApi.login(request)

      await openImport(page, lang)
      await upload(page, `members-${sfx}.csv`, file)
      await page.getByRole('button', { name: tx.check, exact: true }).click()

      const dry = page.getByTestId('dry-run')
      await expect(dry.getByRole('heading', { name: tx.dryTitle })).toBeVisible()
      await expect(stat(dry, 'created')).toHaveText('2')
      await expect(stat(dry, 'updated')).toHaveText('0')
      await expect(stat(dry, 'failed')).toHaveText('1')
      await expect(dry.getByTestId('report-departments')).toContainText(`${top}/后端`)
      await expect(dry.getByTestId('report-departments')).toContainText(`${top}/前端`)
      const table = dry.getByTestId('report-rows')
      await expect(table.locator('tbody tr')).toHaveCount(3)

      // Only the failures: the line with the bad mobile, and why, in words.
      await dry.getByTestId('errors-only').click()
      await expect(table.locator('tbody tr')).toHaveCount(1)
      const bad = table.locator('tbody tr').first()
      await expect(bad).toContainText(c)
      await expect(bad.locator('td').first()).toHaveText('4')
      await expect(bad.getByTestId('row-outcome')).toHaveText(tx.failed)
      await expect(bad.getByTestId('row-message')).toContainText(tx.mobileInvalid)

      // A check keeps nothing.
      expect((await api.members({ q: a })).total).toBe(0)
      expect((await api.members({ q: b })).total).toBe(0)
      expect(await api.department(top)).toBeUndefined()

      await page.getByRole('button', { name: tx.import, exact: true }).click()
      const progress = page.getByTestId('import-progress')
      await expect(progress).toBeVisible()
      await expect(page).toHaveURL(/\/directory\/import\?job=/)
      await expect(progress).toHaveAttribute('data-status', 'finished', { timeout: 30_000 })
      await expect(page.getByTestId('import-status')).toHaveText(tx.finished)
      await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100')

      const result = page.getByTestId('import-result')
      await expect(stat(result, 'created')).toHaveText('2')
      await expect(stat(result, 'failed')).toHaveText('1')
      await expect(result.getByTestId('report-rows').locator('tbody tr')).toHaveCount(3)

      // The server has them now, in the departments the paths named.
      const dept = await api.department(top)
      expect(dept).toMatchObject({ parentid: 1, total_count: 2 })
      const imported = await api.members({ department_id: dept!.id, recursive: 1 })
      expect(imported.members.map((m) => m.userid).sort()).toEqual([a, b].sort())
      expect(imported.members.find((m) => m.userid === a)?.departments.map((d) => d.name)).toEqual(['后端'])
      expect((await api.members({ q: c })).total).toBe(0)

      // And the directory shows them.
      await page.getByTestId('done-to-directory').click()
      await expect(page).toHaveURL(/\/admin\/directory$/)
      if (isMobile) await page.getByTestId('dept-picker').click()
      await expect(treeNode(page, isMobile, top).getByTestId('dept-count')).toHaveText('2')
      // The sub-departments inside this import's own department (other tests have a 后端 too).
      const topNode = page.locator(
        `.el-tree-node:has(> .el-tree-node__content [data-testid="dept-node"][data-dept-name="${top}"])`,
      )
      await expect(topNode.locator('[data-testid="dept-node"][data-dept-name="后端"] [data-testid="dept-count"]')).toHaveText('1')
      await expect(topNode.locator('[data-testid="dept-node"][data-dept-name="前端"] [data-testid="dept-count"]')).toHaveText('1')
    })

    test('XLSX: an export downloaded as Excel checks back as updates only', async ({ page, request, isMobile }) => {
      test.setTimeout(60_000)
      const sfx = unique()
      const name = `表格${sfx}`
      const wecom = await WeCom.connect(request)
      const id = await wecom.createDepartment(name, 1)
      await wecom.createMember({ userid: `xa_${sfx}`, name: '周九', department: [id] })
      await wecom.createMember({ userid: `xb_${sfx}`, name: '吴十', department: [id] })

      await page.goto('/admin/directory')
      if (isMobile) await page.getByTestId('dept-picker').click()
      await treeNode(page, isMobile, name).getByTestId('dept-name').click()
      await expect(page.getByTestId('member-total')).toContainText('2')
      await page.getByTestId('export').click()
      const downloading = page.waitForEvent('download')
      await page.getByTestId('export-xlsx').click()
      const download = await downloading
      expect(download.url()).toContain('format=xlsx')
      expect(download.url()).toContain(`lang=${lang}`)
      expect(download.url()).toContain(`department_id=${id}`)
      const saved = await download.path()
      const bytes = fs.readFileSync(saved)
      expect(bytes.subarray(0, 2).toString('latin1'), 'an XLSX file is a zip').toBe('PK')

      await openImport(page, lang)
      await upload(
        page,
        `export-${sfx}.xlsx`,
        bytes,
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      )
      await page.getByRole('button', { name: tx.check, exact: true }).click()
      const dry = page.getByTestId('dry-run')
      await expect(stat(dry, 'updated')).toHaveText('2')
      await expect(stat(dry, 'created')).toHaveText('0')
      await expect(stat(dry, 'failed')).toHaveText('0')
      await expect(stat(dry, 'departments-count')).toHaveText('0')
      await expect(dry.getByTestId('row-outcome')).toHaveText([tx.update, tx.update])
    })

    test('templates come in the UI language; a file without the columns is refused in words', async ({
      page,
    }) => {
      await openImport(page, lang)
      const downloading = page.waitForEvent('download')
      await page.getByTestId('template-csv').click()
      const template = fs.readFileSync(await (await downloading).path(), 'utf8').replace(/^\uFEFF/, '')
      expect(template.split(/\r?\n/)[0]!.split(',')).toEqual([...tx.templateHeader])
      await expect(page.getByTestId('template-xlsx')).toHaveAttribute('href', new RegExp(`format=xlsx&lang=${lang}`))

      // Not a spreadsheet at all: refused here, before the server is asked.
      await page.getByTestId('import-file').setInputFiles({
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('hello'),
      })
      await expect(page.getByTestId('wrong-type')).toHaveText(tx.wrongType)
      await expect(page.getByRole('button', { name: tx.check, exact: true })).toBeDisabled()

      await upload(page, 'columns.csv', csv([['foo', 'bar'], ['1', '2']]))
      const asked = page.waitForResponse((r) => r.url().includes('/admin/api/imports?dry_run=1'))
      await page.getByRole('button', { name: tx.check, exact: true }).click()
      expect((await asked).status()).toBe(400)
      const error = page.getByTestId('import-error')
      await expect(error).toContainText(tx.fileInvalid)
      await expect(error).toHaveAttribute('data-code', 'import_file_invalid')
      await expect(page.getByTestId('dry-run')).toHaveCount(0)
      await expect(page.getByRole('button', { name: tx.import, exact: true })).toHaveCount(0)
    })

    test('the import page has no horizontal overflow, with a report', async ({ page }) => {
      const sfx = unique()
      await openImport(page, lang)
      await expectNoHorizontalOverflow(page)
      await upload(
        page,
        `wide-${sfx}.csv`,
        csv([
          [...tx.header],
          [`wide_a_${sfx}`, '郑一', '123', `很长的部门名称${sfx}/另一个很长的部门名称/第三层`, ''],
          [`wide_b_${sfx}`, '陈二', uniqueMobile(), `很长的部门名称${sfx}/另一个很长的部门名称/第三层`, ''],
        ]),
      )
      await page.getByRole('button', { name: tx.check, exact: true }).click()
      await expect(stat(page.getByTestId('dry-run'), 'failed')).toHaveText('1')
      await expectNoHorizontalOverflow(page)
    })
  })
}
