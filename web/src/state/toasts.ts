import { createStore, type Store } from './store.ts'

export interface Toast {
  id: number
  kind: 'info' | 'success' | 'error'
  text: string
}

export interface Toasts {
  list: Store<Toast[]>
  show(kind: Toast['kind'], text: string): void
  dismiss(id: number): void
}

/** Short messages in a live region; errors stay longer, since they must be read. */
export function createToasts(): Toasts {
  const list = createStore<Toast[]>([])
  let next = 1
  const dismiss = (id: number) => list.set((all) => all.filter((t) => t.id !== id))
  return {
    list,
    dismiss,
    show(kind, text) {
      const id = next++
      list.set((all) => [...all.slice(-3), { id, kind, text }])
      setTimeout(() => dismiss(id), kind === 'error' ? 12_000 : 5_000)
    },
  }
}
