import { render } from 'preact'
import { createApiClient } from './api/client.ts'
import { App } from './app.ts'
import { createAuth } from './auth/session.ts'
import { loadConfig } from './config.ts'
import { ServicesContext } from './context.ts'
import { html } from './html.ts'
import { createToasts } from './state/toasts.ts'

/** Start-up: read config.json, create the clients, render. A bad config is shown, not a blank page. */
async function start(root: HTMLElement) {
  try {
    const config = await loadConfig()
    const auth = createAuth(config)
    const api = createApiClient({
      baseUrl: config.apiUrl,
      accessToken: () => auth.accessToken(),
      onUnauthorized: () => auth.expire(),
    })
    const services = { config, auth, api, toasts: createToasts() }
    root.textContent = ''
    render(
      html`<${ServicesContext.Provider} value=${services}><${App} /></${ServicesContext.Provider}>`,
      root,
    )
  } catch (error) {
    root.innerHTML = ''
    const message = document.createElement('p')
    message.className = 'boot boot-error'
    message.setAttribute('role', 'alert')
    message.textContent = `The dashboard could not start. ${error instanceof Error ? error.message : String(error)}`
    root.append(message)
  }
}

const root = document.getElementById('app')
if (root) void start(root)
