import { useRef, useState } from 'preact/hooks'
import type { Document, DocumentCategory } from '../../api/types.ts'
import { useServices } from '../../context.ts'
import { formatBytes } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import { categoryOptions } from './child-kinds.ts'
import { type UploadStep, uploadDocument } from './document-upload.ts'
import { describeUploadError } from './upload-messages.ts'

type UploadState =
  | { status: 'idle' }
  | { status: 'busy'; step: UploadStep; progress: number; name: string }
  | { status: 'done'; name: string }
  | { status: 'failed'; message: string }

const stepLabels: Record<UploadStep, string> = {
  checking: 'Checking',
  uploading: 'Uploading',
  finishing: 'Finishing',
}

/**
 * Choose (or drop) a file and a category, then upload with a real progress
 * bar. A refused type or size is said before any byte is sent; a failed or
 * cancelled transfer leaves nothing behind (document-upload.ts).
 */
export function DocumentUploader(props: { customerId: string; onUploaded: (doc: Document) => void }) {
  const { api } = useServices()
  const [file, setFile] = useState<File>()
  const [category, setCategory] = useState<DocumentCategory>('other')
  const [state, setState] = useState<UploadState>({ status: 'idle' })
  const [dragging, setDragging] = useState(false)
  const controller = useRef<AbortController>()
  const input = useRef<HTMLInputElement>(null)
  const busy = state.status === 'busy'

  const choose = (chosen: File | undefined) => {
    setFile(chosen)
    if (state.status !== 'busy') setState({ status: 'idle' })
  }

  const upload = async (event: Event) => {
    event.preventDefault()
    if (!file || busy) return
    if (file.size === 0)
      return setState({ status: 'failed', message: `“${file.name}” is empty: choose a file with content.` })
    const abort = new AbortController()
    controller.current = abort
    setState({ status: 'busy', step: 'checking', progress: 0, name: file.name })
    try {
      const doc = await uploadDocument({
        api,
        customerId: props.customerId,
        file,
        category,
        signal: abort.signal,
        onStep: (step) => setState((s) => (s.status === 'busy' ? { ...s, step } : s)),
        onProgress: (progress) => setState((s) => (s.status === 'busy' ? { ...s, progress } : s)),
      })
      props.onUploaded(doc)
      setState({ status: 'done', name: doc.name })
      setFile(undefined)
      if (input.current) input.current.value = ''
    } catch (error) {
      const cancelled = abort.signal.aborted
      setState({
        status: 'failed',
        message: cancelled
          ? `The upload of “${file.name}” was cancelled; nothing was saved.`
          : describeUploadError(error, file),
      })
    }
  }

  const onDrop = (event: DragEvent) => {
    event.preventDefault()
    setDragging(false)
    if (busy) return
    const dropped = event.dataTransfer?.files?.[0]
    if (dropped) choose(dropped)
  }

  const percent =
    state.status === 'busy' ? Math.round(state.progress * 100) : state.status === 'done' ? 100 : 0

  return html`<form class="uploader card" onSubmit=${upload} aria-labelledby="upload-title">
    <h2 id="upload-title" class="uploader-title">Upload a document</h2>
    <div
      class=${`drop-zone${dragging ? ' is-dragging' : ''}`}
      onDragOver=${(e: DragEvent) => {
        e.preventDefault()
        setDragging(true)
      }}
      onDragLeave=${() => setDragging(false)}
      onDrop=${onDrop}
    >
      <label for="document-file" class="drop-label">File</label>
      <input
        ref=${input}
        id="document-file"
        type="file"
        disabled=${busy}
        aria-describedby="drop-hint"
        onChange=${(e: Event) => choose((e.target as HTMLInputElement).files?.[0])}
      />
      <p id="drop-hint" class="hint">
        ${file ? `Chosen: ${file.name} (${formatBytes(file.size)})` : 'Choose a file, or drop one here.'}
      </p>
    </div>
    <div class="uploader-row">
      <label class="field">
        <span>Category</span>
        <select
          value=${category}
          disabled=${busy}
          onChange=${(e: Event) => setCategory((e.target as HTMLSelectElement).value as DocumentCategory)}
        >
          ${categoryOptions.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
        </select>
      </label>
      <div class="uploader-actions">
        <button type="submit" class="button button-primary" disabled=${!file || busy}>Upload</button>
        ${busy && html`<button type="button" class="button" onClick=${() => controller.current?.abort()}>Cancel upload</button>`}
      </div>
    </div>
    ${
      (state.status === 'busy' || state.status === 'done') &&
      html`<div class="upload-progress">
        <label for="upload-progress">
          ${state.status === 'busy' ? `${stepLabels[state.step]} “${state.name}”: ${percent}%` : `Uploaded “${state.name}”: 100%`}
        </label>
        <progress id="upload-progress" max="100" value=${percent}>${percent}%</progress>
      </div>`
    }
    <div aria-live="polite" class="upload-status">
      ${state.status === 'done' && html`<p class="upload-done">“${state.name}” uploaded and ready.</p>`}
    </div>
    ${state.status === 'failed' && html`<p class="form-error" role="alert">${state.message}</p>`}
  </form>`
}
