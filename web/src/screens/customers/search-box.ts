import { useEffect, useRef, useState } from 'preact/hooks'
import { html } from '../../html.ts'

/** Waiting this long after the last keystroke before searching: one request per pause, not per letter. */
export const searchDelayMs = 250

/**
 * The name search. Typing is local and instant; the search itself (the URL)
 * follows after a pause. A URL changed from elsewhere (back button, a link,
 * "clear filters") is shown, but never overwrites what is still being typed.
 */
export function SearchBox(props: { value: string | undefined; onSearch: (q: string | undefined) => void }) {
  const [text, setText] = useState(props.value ?? '')
  const sent = useRef(props.value ?? '')
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const onSearch = useRef(props.onSearch)
  onSearch.current = props.onSearch

  useEffect(() => {
    const fromUrl = props.value ?? ''
    if (fromUrl !== sent.current) {
      clearTimeout(timer.current)
      sent.current = fromUrl
      setText(fromUrl)
    }
  }, [props.value])
  useEffect(() => () => clearTimeout(timer.current), [])

  const onInput = (event: Event) => {
    const next = (event.target as HTMLInputElement).value
    setText(next)
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      const q = next.trim().slice(0, 100)
      if (q === sent.current) return
      sent.current = q
      onSearch.current(q || undefined)
    }, searchDelayMs)
  }

  return html`<label class="field customers-search">
    <span>Search</span>
    <input type="search" value=${text} onInput=${onInput} placeholder="Customer name" autocomplete="off" maxlength="100" />
  </label>`
}
