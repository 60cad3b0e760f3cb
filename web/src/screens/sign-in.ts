import { useState } from 'preact/hooks'
import { useServices } from '../context.ts'
import { html } from '../html.ts'

/** Email and password, as Supabase Auth takes them. After sign-in the app returns to where it was sent from. */
export function SignIn({ expired }: { expired: boolean }) {
  const { auth } = useServices()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const submit = async (event: Event) => {
    event.preventDefault()
    const form = new FormData(event.target as HTMLFormElement)
    setBusy(true)
    setError(undefined)
    const result = await auth.signIn(String(form.get('email')).trim(), String(form.get('password')))
    setBusy(false)
    if (result.error) setError(result.error)
  }

  return html`<main class="sign-in" id="main">
    <form class="card sign-in-card" onSubmit=${submit} aria-describedby=${error ? 'sign-in-error' : undefined}>
      <h1>Sales dashboard</h1>
      ${expired && !error && html`<p class="notice" role="status">Your session has ended. Sign in to continue where you were.</p>`}
      <label class="field">
        <span>Email</span>
        <input name="email" type="email" autocomplete="username" required autofocus />
      </label>
      <label class="field">
        <span>Password</span>
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      ${error && html`<p id="sign-in-error" class="form-error" role="alert">${error}</p>`}
      <button class="button button-primary" type="submit" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  </main>`
}
