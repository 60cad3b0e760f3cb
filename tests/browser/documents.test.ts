import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Document, DocumentUpload, Page as ListPage, Me } from '../../web/src/api/types.ts'
import { hasChromium, launchChromium, noChromiumReason, openPage } from './support/chromium.ts'
import { apiGet, apiSend, apiTokenFor, signIn } from './support/dashboard.ts'
import { useBrowserStack } from './support/stack.ts'

const suite = hasChromium ? describe : describe.skip
const title = hasChromium
  ? 'dashboard: customer documents'
  : `dashboard: customer documents (skipped: ${noChromiumReason})`

/** Chromium reports every 4xx answer on the console; those are expected here, page errors are not. */
const unexpected = (errors: string[]) => errors.filter((e) => !e.includes('Failed to load resource'))

suite(title, { timeout: 120_000 }, () => {
  const stack = useBrowserStack()
  let browser: Browser
  let repToken: string
  let org: string
  let customerId: string
  const bytes = Buffer.from(
    `Meeting notes from the browser test, ${new Date().toISOString()}\nÄ second line ✓\n`,
  )

  beforeAll(async () => {
    browser = await launchChromium()
    repToken = await apiTokenFor(stack.current, 'rep@acme.example')
    const me = await apiGet<Me>(stack.current, repToken, '/me')
    org = me.memberships[0]?.org_id as string
    const own = await apiGet<ListPage<{ id: string }>>(
      stack.current,
      repToken,
      `/orgs/${org}/customers?owner_id=${me.id}&limit=1`,
    )
    customerId = own.data[0]?.id as string
  })
  afterAll(async () => {
    await browser?.close()
  })

  const documents = async () =>
    (
      await apiGet<ListPage<Document>>(
        stack.current,
        repToken,
        `/customers/${customerId}/documents?limit=100`,
      )
    ).data

  const openDocuments = async (page: Page, email: string, at = stack.current) => {
    await signIn(page, at, email)
    await page.goto(`${at.url}/#/orgs/${org}/customers/${customerId}/documents`)
    await page.getByRole('tabpanel').locator('table, .state-empty').first().waitFor()
  }

  /** Saves the download the page starts and returns its bytes. */
  const download = async (page: Page, name: string) => {
    const started = page.waitForEvent('download')
    await page.getByRole('button', { name: `Download ${name}` }).click()
    const file = await started
    expect(file.suggestedFilename()).toBe(name)
    return readFile((await file.path()) as string)
  }

  it('should upload a file with progress, list it as ready, and download the same bytes', async () => {
    const { context, page, errors } = await openPage(browser)
    await openDocuments(page, 'rep@acme.example')
    await page
      .getByLabel('File')
      .setInputFiles({ name: 'meeting-notes.txt', mimeType: 'text/plain', buffer: bytes })
    await page.getByLabel('Category').selectOption('contract')
    await page.getByRole('button', { name: 'Upload' }).click()
    const progress = page.getByRole('progressbar', { name: 'Uploaded “meeting-notes.txt”: 100%' })
    await progress.waitFor()
    expect(await progress.getAttribute('value')).toBe('100')
    await page
      .getByRole('row', { name: /meeting-notes\.txt/ })
      .getByText('Ready')
      .waitFor()

    const listed = (await documents()).find((d) => d.name === 'meeting-notes.txt')
    expect(listed).toMatchObject({ status: 'ready', category: 'contract', size_bytes: bytes.length })
    expect(listed?.content_type).toBe('text/plain')

    const downloaded = await download(page, 'meeting-notes.txt')
    expect(Buffer.compare(downloaded, bytes)).toBe(0)
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('should upload and download the same way when the dashboard is opened at 127.0.0.1', async () => {
    const { context, page, errors } = await openPage(browser)
    // The signed upload URL names the stack as localhost: a cross-origin PUT, as to Supabase Storage.
    const at = { ...stack.current, url: stack.current.url.replace('//localhost:', '//127.0.0.1:') }
    await openDocuments(page, 'rep@acme.example', at)
    const loopback = Buffer.from('Uploaded from 127.0.0.1\n')
    await page
      .getByLabel('File')
      .setInputFiles({ name: 'loopback.txt', mimeType: 'text/plain', buffer: loopback })
    await page.getByRole('button', { name: 'Upload' }).click()
    await page
      .getByRole('row', { name: /loopback\.txt/ })
      .getByText('Ready')
      .waitFor()
    expect(Buffer.compare(await download(page, 'loopback.txt'), loopback)).toBe(0)
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('should refuse a disallowed type and an oversized file in plain words, creating nothing', async () => {
    const { context, page } = await openPage(browser)
    await openDocuments(page, 'rep@acme.example')
    const before = (await documents()).map((d) => d.id).sort()

    await page.getByLabel('File').setInputFiles({
      name: 'setup.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.from('MZ not really a program'),
    })
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.getByRole('alert').filter({ hasText: '“setup.exe” cannot be uploaded' }).waitFor()
    expect(await page.getByRole('alert').textContent()).toMatch(/is not accepted\. Upload a PDF/)

    // One byte over the API's default limit (DOCUMENT_MAX_BYTES, 25 MiB), as a
    // file on disk: Chromium is handed its path, where a 25 MiB buffer would
    // cross the DevTools protocol as base64 (half a minute on a loaded machine).
    const folder = await mkdtemp(join(tmpdir(), 'documents-'))
    const huge = join(folder, 'huge.pdf')
    await writeFile(huge, '%PDF-1.7\n')
    await truncate(huge, 26_214_401)
    await page.getByLabel('File').setInputFiles(huge)
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.getByRole('alert').filter({ hasText: '“huge.pdf” is too large' }).waitFor()
    await rm(folder, { recursive: true })
    expect(await page.getByRole('alert').textContent()).toMatch(/Files can be at most 26[.,]2 MB/)

    expect((await documents()).map((d) => d.id).sort()).toEqual(before)
    await context.close()
  })

  it('should clean up after a cancelled upload and after a file that never reached storage', async () => {
    const { context, page } = await openPage(browser)
    await openDocuments(page, 'rep@acme.example')
    const before = (await documents()).map((d) => d.id).sort()

    // Cancelled while the bytes are on their way (the PUT is held until then).
    let releasePut: () => void = () => undefined
    await page.route('**/storage/v1/object/upload/sign/**', async (route) => {
      await new Promise<void>((resolve) => {
        releasePut = resolve
      })
      await route.abort().catch(() => undefined)
    })
    await page
      .getByLabel('File')
      .setInputFiles({ name: 'cancel-me.txt', mimeType: 'text/plain', buffer: bytes })
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.getByRole('button', { name: 'Cancel upload' }).click()
    releasePut()
    await page.getByRole('alert').filter({ hasText: 'The upload of “cancel-me.txt” was cancelled' }).waitFor()
    await expect.poll(async () => (await documents()).map((d) => d.id).sort()).toEqual(before)
    await page.unroute('**/storage/v1/object/upload/sign/**')

    // Storage "accepts" the PUT but never stores it: completion is a 409, and the pending document goes.
    await page.route('**/storage/v1/object/upload/sign/**', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: '{"Key":"x"}' }),
    )
    await page.getByLabel('File').setInputFiles({ name: 'lost.txt', mimeType: 'text/plain', buffer: bytes })
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.getByRole('alert').filter({ hasText: '“lost.txt” did not arrive in storage' }).waitFor()
    await expect.poll(async () => (await documents()).map((d) => d.id).sort()).toEqual(before)
    await context.close()
  })

  it('should rename, recategorize and delete a document', async () => {
    const { context, page, errors } = await openPage(browser)
    await openDocuments(page, 'rep@acme.example')
    await page.getByLabel('File').setInputFiles({ name: 'draft.txt', mimeType: 'text/plain', buffer: bytes })
    await page.getByRole('button', { name: 'Upload' }).click()
    await page
      .getByRole('row', { name: /draft\.txt/ })
      .getByText('Ready')
      .waitFor()

    await page.getByRole('button', { name: 'Edit draft.txt' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit document' })
    await dialog.getByLabel('File name').fill('final.txt')
    await dialog.getByLabel('Category').selectOption('invoice')
    await dialog.getByRole('button', { name: 'Save changes' }).click()
    await page
      .getByRole('row', { name: /final\.txt/ })
      .getByText('Invoice')
      .waitFor()
    const renamed = (await documents()).find((d) => d.name === 'final.txt')
    expect(renamed?.category).toBe('invoice')

    await page.getByRole('button', { name: 'Delete final.txt' }).click()
    await page
      .getByRole('dialog', { name: 'Delete document?' })
      .getByRole('button', { name: 'Delete document' })
      .click()
    await page.getByRole('row', { name: /final\.txt/ }).waitFor({ state: 'detached' })
    expect((await documents()).some((d) => d.id === renamed?.id)).toBe(false)
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })

  it('should let a viewer download but not upload, rename or delete', async () => {
    // A ready document made through the API, as storage-js would: create, PUT the bytes, complete.
    const name = 'for-the-viewer.txt'
    const created = await apiSend<DocumentUpload>(
      stack.current,
      repToken,
      'POST',
      `/customers/${customerId}/documents/uploads`,
      {
        name,
        content_type: 'text/plain',
        size_bytes: bytes.length,
      },
    )
    const put = await fetch(created.upload.signed_url, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain', 'x-upsert': 'false' },
      body: bytes,
    })
    expect(put.status).toBe(200)
    await apiSend(stack.current, repToken, 'POST', `/documents/${created.document.id}/complete`)

    const { context, page, errors } = await openPage(browser)
    await openDocuments(page, 'viewer@acme.example')
    await page.getByRole('row', { name: new RegExp(name) }).waitFor()
    expect(await page.getByLabel('File').count()).toBe(0)
    expect(await page.getByRole('button', { name: /^(Upload|Edit|Delete)/ }).count()).toBe(0)
    const downloaded = await download(page, name)
    expect(Buffer.compare(downloaded, bytes)).toBe(0)
    expect(unexpected(errors)).toEqual([])
    await context.close()
  })
})
