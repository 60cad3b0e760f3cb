import { useState } from 'preact/hooks'
import { isApiError } from '../../api/api-error.ts'
import { describeError } from '../../api/describe-error.ts'
import type { Document, DocumentDownload } from '../../api/types.ts'
import { useServices } from '../../context.ts'
import { formatDateTime, formatRelative } from '../../format/dates.ts'
import { html } from '../../html.ts'
import { prependItem } from '../../state/keyset-list.ts'
import { documentKind } from './child-kinds.ts'
import { type TabProps, useChildList } from './child-tab.ts'
import { ChildTable } from './child-table.ts'
import { DocumentUploader } from './document-uploader.ts'

/**
 * A customer's files: everyone in the organization lists and downloads them;
 * writers upload (document-uploader.ts), rename, recategorize and delete.
 */
export function DocumentsTab(props: TabProps) {
  const list = useChildList(documentKind, props.customerId)

  const cell = (doc: Document, column: string) => {
    if (column === 'name') return html`<span class="doc-name">${doc.name}</span>`
    return undefined
  }

  return html`<div class="documents">
    ${
      props.canWrite &&
      html`<${DocumentUploader}
        customerId=${props.customerId}
        onUploaded=${(doc: Document) => {
          list.update((l) => prependItem(l, doc))
          props.onCountChange(1)
        }}
      />`
    }
    <${ChildTable}
      ...${props}
      kind=${{ ...documentKind, columns: [...documentKind.columns, statusColumn, uploadedColumn] }}
      list=${list}
      creatable=${false}
      cell=${cell}
      rowActions=${(doc: Document) => html`<${DownloadButton} document=${doc} />`}
    />
  </div>`
}

const statusColumn = {
  key: 'status',
  label: 'Status',
  cell: (d: Document) => (d.status === 'ready' ? 'Ready' : 'Upload not finished'),
}

const uploadedColumn = {
  key: 'uploaded_at',
  label: 'Uploaded',
  cell: (d: Document) => (d.uploaded_at ? formatRelative(d.uploaded_at) : '—'),
}

/**
 * Asks the API for a short-lived signed URL and follows it: Storage answers
 * with the file as an attachment under its name, so the browser saves it.
 */
function DownloadButton({ document: doc }: { document: Document }) {
  const { api, toasts } = useServices()
  const [busy, setBusy] = useState(false)
  const download = async () => {
    setBusy(true)
    try {
      const { signed_url } = await api.get<DocumentDownload>(`/documents/${doc.id}/download`)
      const link = window.document.createElement('a')
      link.href = signed_url
      link.download = doc.name
      link.rel = 'noopener'
      window.document.body.append(link)
      link.click()
      link.remove()
    } catch (error) {
      toasts.show(
        'error',
        isApiError(error) && error.code === 'conflict'
          ? `“${doc.name}” has not finished uploading, so there is nothing to download yet.`
          : describeError(error, 'this document'),
      )
    } finally {
      setBusy(false)
    }
  }
  return html`<button
    type="button"
    class="button button-quiet"
    disabled=${busy || doc.status !== 'ready'}
    title=${doc.uploaded_at ? `Uploaded ${formatDateTime(doc.uploaded_at)}` : undefined}
    onClick=${download}
  >
    Download<span class="visually-hidden"> ${doc.name}</span>
  </button>`
}
