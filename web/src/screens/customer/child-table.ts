import type { VNode } from 'preact'
import { useState } from 'preact/hooks'
import { isApiError } from '../../api/api-error.ts'
import { newIdempotencyKey } from '../../api/client.ts'
import { describeError } from '../../api/describe-error.ts'
import { ConfirmDialog } from '../../components/confirm-dialog.ts'
import { LoadMore } from '../../components/load-more.ts'
import { RecordDialog } from '../../components/record-dialog.ts'
import { Empty, ErrorState, Loading } from '../../components/states.ts'
import { useServices } from '../../context.ts'
import { html } from '../../html.ts'
import { mapItems, prependItem, removeItem } from '../../state/keyset-list.ts'
import { mergeNewer, replaceById } from '../../state/optimistic.ts'
import type { KeysetListState } from '../../state/use-keyset-list.ts'
import type { ChildKind } from './child-kinds.ts'

type Row = { id: string; name: string; version: string }

type Editing<T> =
  | { mode: 'create'; key: string }
  | { mode: 'edit'; record: T }
  | { mode: 'delete'; record: T }
  | undefined

export interface ChildTableProps<T extends Row> {
  kind: ChildKind<T>
  customerId: string
  customerName: string
  canWrite: boolean
  list: KeysetListState<T>
  /** The tab's count in the header follows creates and deletes. */
  onCountChange: (delta: number) => void
  /** Replaces a column's cell (e.g. an inline select); the text cell otherwise. */
  cell?: (record: T, column: string) => VNode | undefined
  /** More buttons per row (documents: download), shown to everyone. */
  rowActions?: (record: T) => VNode
  /** Documents are created by upload, not by this form. */
  creatable?: boolean
}

/**
 * A customer's records of one kind: a table with "Load more", and for
 * writers create, edit and delete through dialogs. Every change lands in the
 * one list state (`list.update`), where a live update would land too.
 */
export function ChildTable<T extends Row>(props: ChildTableProps<T>) {
  const { api, toasts } = useServices()
  const { kind, list } = props
  const [editing, setEditing] = useState<Editing<T>>()
  const what = `this ${kind.noun}`
  const creatable = props.canWrite && props.creatable !== false

  /** The record as it is now, after a 412: the list shows it, the dialog starts from it. */
  const refresh = async (id: string): Promise<T | undefined> => {
    try {
      const latest = await api.get<T>(`/${kind.path}/${id}`)
      list.update((l) => mapItems(l, (items) => mergeNewer(items, latest)))
      return latest
    } catch (error) {
      if (isApiError(error) && error.code === 'not_found') {
        list.update((l) => removeItem(l, id))
        props.onCountChange(-1)
      }
      return undefined
    }
  }

  const create = async (body: Record<string, unknown>, key: string) => {
    const created = await api.post<T>(`/customers/${props.customerId}/${kind.path}`, {
      body,
      idempotencyKey: key,
    })
    list.update((l) => prependItem(l, created))
    props.onCountChange(1)
    toasts.show('success', `${capitalize(kind.noun)} “${created.name}” added.`)
  }

  const save = async (record: T, body: Record<string, unknown>) => {
    const saved = await api.patch<T>(`/${kind.path}/${record.id}`, { body, ifMatch: record.version })
    list.update((l) => mapItems(l, (items) => replaceById(items, saved.id, saved)))
    toasts.show('success', `${capitalize(kind.noun)} “${saved.name}” saved.`)
  }

  const remove = async (record: T) => {
    try {
      await api.delete(`/${kind.path}/${record.id}`, { ifMatch: record.version })
    } catch (error) {
      if (isApiError(error) && error.code === 'precondition_failed') {
        const latest = await refresh(record.id)
        if (latest) setEditing({ mode: 'delete', record: latest })
      }
      throw error
    }
    list.update((l) => removeItem(l, record.id))
    props.onCountChange(-1)
    toasts.show('success', `${capitalize(kind.noun)} “${record.name}” deleted.`)
  }

  const toolbar = creatable
    ? html`<div class="tab-toolbar">
        <button
          type="button"
          class="button button-primary"
          onClick=${() => setEditing({ mode: 'create', key: newIdempotencyKey() })}
        >
          Add ${kind.noun}
        </button>
      </div>`
    : null

  const dialog = (() => {
    if (!editing) return null
    const close = () => setEditing(undefined)
    if (editing.mode === 'create')
      return html`<${RecordDialog}
        title=${`Add a ${kind.noun}`}
        submitLabel=${`Add ${kind.noun}`}
        fields=${kind.fields}
        what=${what}
        conflict=${kind.conflict}
        onSubmit=${(body: Record<string, unknown>) => create(body, editing.key)}
        onClose=${close}
      />`
    if (editing.mode === 'edit')
      return html`<${RecordDialog}
        title=${`Edit ${kind.noun}`}
        submitLabel="Save changes"
        fields=${kind.fields}
        record=${editing.record}
        what=${what}
        conflict=${kind.conflict}
        onSubmit=${(body: Record<string, unknown>) => save(editing.record, body)}
        onStale=${async () => {
          const latest = await refresh(editing.record.id)
          if (latest) setEditing({ mode: 'edit', record: latest })
          return latest
        }}
        onClose=${close}
      />`
    return html`<${ConfirmDialog}
      title=${`Delete ${kind.noun}?`}
      message=${`“${editing.record.name}” will be deleted from ${props.customerName}. ${kind.deleteNote ?? ''} This cannot be undone.`}
      confirmLabel=${`Delete ${kind.noun}`}
      what=${what}
      onConfirm=${() => remove(editing.record)}
      onClose=${close}
    />`
  })()

  if (!list.list) {
    if (list.status === 'error') return html`<${ErrorState} error=${list.error} retry=${list.reload} />`
    return html`<${Loading} label=${`Loading ${kind.plural}…`} />`
  }
  const items = list.list.items
  const showActions = props.canWrite || props.rowActions

  return html`<div class="child-table">
    ${toolbar}
    ${
      items.length === 0
        ? html`<${Empty}>
            <p>No ${kind.plural} yet.</p>
            ${creatable && html`<p>Add the first one with “Add ${kind.noun}”.</p>`}
          </${Empty}>`
        : html`<div class="table-wrap">
            <table>
              <caption class="visually-hidden">${capitalize(kind.plural)} of ${props.customerName}</caption>
              <thead>
                <tr>
                  ${kind.columns.map(
                    (c) =>
                      html`<th key=${c.key} scope="col" class=${c.numeric ? 'num' : undefined}>${c.label}</th>`,
                  )}
                  ${showActions && html`<th scope="col"><span class="visually-hidden">Actions</span></th>`}
                </tr>
              </thead>
              <tbody>
                ${items.map(
                  (record) => html`<tr key=${record.id}>
                    ${kind.columns.map((c, i) => {
                      const content = props.cell?.(record, c.key) ?? c.cell(record)
                      return i === 0
                        ? html`<th key=${c.key} scope="row" class="row-head">${content}</th>`
                        : html`<td key=${c.key} class=${c.numeric ? 'num' : undefined}>${content}</td>`
                    })}
                    ${
                      showActions &&
                      html`<td class="row-actions">
                        ${props.rowActions?.(record)}
                        ${
                          props.canWrite &&
                          html`<button
                              type="button"
                              class="button button-quiet"
                              onClick=${() => setEditing({ mode: 'edit', record })}
                            >
                              Edit<span class="visually-hidden"> ${record.name}</span>
                            </button>
                            <button
                              type="button"
                              class="button button-quiet button-danger"
                              onClick=${() => setEditing({ mode: 'delete', record })}
                            >
                              Delete<span class="visually-hidden"> ${record.name}</span>
                            </button>`
                        }
                      </td>`
                    }
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    ${list.status === 'error' && html`<p class="form-error" role="alert">${describeError(list.error)}</p>`}
    <${LoadMore}
      hasMore=${list.list.cursor !== null}
      more=${list.more}
      onLoad=${list.loadMore}
      label=${`Load more ${kind.plural}`}
    />
    ${dialog}
  </div>`
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
