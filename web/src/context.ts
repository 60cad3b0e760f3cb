import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { ApiClient } from './api/client.ts'
import type { Me, Membership, Role } from './api/types.ts'
import type { Auth } from './auth/session.ts'
import type { WebConfig } from './config.ts'
import type { Toasts } from './state/toasts.ts'

/** What every screen may use: created once at start-up (main.ts). */
export interface Services {
  config: WebConfig
  auth: Auth
  api: ApiClient
  toasts: Toasts
}

export const ServicesContext = createContext<Services | null>(null)

export function useServices(): Services {
  const services = useContext(ServicesContext)
  if (!services) throw new Error('useServices outside <ServicesContext.Provider>')
  return services
}

/** The signed-in person in the organization the screen shows. */
export interface Viewer {
  me: Me
  org: Membership
  role: Role
  userId: string
}

export const ViewerContext = createContext<Viewer | null>(null)

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext)
  if (!viewer) throw new Error('useViewer outside an organization screen')
  return viewer
}
