import { useState } from 'preact/hooks'
import { describeError } from '../api/describe-error.ts'
import { useServices } from '../context.ts'
import { html } from '../html.ts'

/**
 * Downloads a file the API streams (an export) with the signed-in person's
 * token: fetched, then handed to the browser as a download under the name the
 * server gave it. A refusal is a toast in plain words, never a broken page.
 */
export function DownloadButton(props: { path: string; fallbackName: string; label: string }) {
  const { api, toasts } = useServices()
  const [busy, setBusy] = useState(false)
  const download = async () => {
    setBusy(true)
    try {
      const { blob, filename } = await api.file(props.path)
      const url = URL.createObjectURL(blob)
      const link = document.createElement('a')
      link.href = url
      link.download = filename ?? props.fallbackName
      document.body.append(link)
      link.click()
      link.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    } catch (error) {
      toasts.show('error', describeError(error, 'this export'))
    } finally {
      setBusy(false)
    }
  }
  return html`<button type="button" class="button" onClick=${download} disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>
    ${busy && html`<span class="spinner" aria-hidden="true"></span>`}${props.label}
  </button>`
}
