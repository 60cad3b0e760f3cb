import { useEffect, useMemo } from 'preact/hooks'
import type { Me } from './api/types.ts'
import type { AuthState } from './auth/session.ts'
import { Layout } from './components/layout.ts'
import { lazyComponent } from './components/lazy.ts'
import { ErrorState, Loading } from './components/states.ts'
import { ToastRegion } from './components/toasts.ts'
import { useServices, type Viewer, ViewerContext } from './context.ts'
import { html } from './html.ts'
import { LiveProvider } from './realtime/live-context.ts'
import { OwnerNotifications } from './realtime/owner-notifications.ts'
import { formatRoute, parseRoute, type Route, routeOrg } from './router/routes.ts'
import { navigate, useRoute } from './router/use-route.ts'
import { NotFound } from './screens/not-found.ts'
import { SignIn } from './screens/sign-in.ts'
import { useStore } from './state/store.ts'
import { useAsync } from './state/use-async.ts'

// Each screen is its own chunk, loaded when first shown.
const Overview = lazyComponent(() => import('./screens/overview/overview.ts').then((m) => m.Overview))
const Customers = lazyComponent(() => import('./screens/customers/customers.ts').then((m) => m.Customers))
const Pipeline = lazyComponent(() => import('./screens/pipeline/pipeline.ts').then((m) => m.Pipeline))
const CustomerDetail = lazyComponent(() =>
  import('./screens/customer/customer-detail.ts').then((m) => m.CustomerDetail),
)
const Chat = lazyComponent(() => import('./screens/chat/chat.ts').then((m) => m.Chat))

/** The whole app: who is signed in decides between the sign-in page and the screens. */
export function App() {
  const { auth } = useServices()
  const state = useStore(auth.state)
  const route = useRoute()

  useRedirects(state, route)

  if (state.status === 'loading') return html`<${Loading} label="Loading the dashboard…" />`
  if (state.status === 'signed-out')
    return html`<${SignIn} expired=${state.reason === 'expired'} /><${ToastRegion} />`
  return html`<${SignedIn} route=${route} userId=${state.session.user.id} />`
}

/** Signed out anywhere → sign in, remembering where; signed in on the sign-in page → back there. */
function useRedirects(state: AuthState, route: Route) {
  useEffect(() => {
    if (state.status === 'signed-out' && route.name !== 'sign-in') {
      const here = formatRoute(route).slice(1)
      navigate({ name: 'sign-in', next: here === '/' ? undefined : here }, { replace: true })
    } else if (state.status === 'signed-in' && route.name === 'sign-in') {
      navigate(route.next ? parseRoute(`#${route.next}`) : { name: 'home' }, { replace: true })
    }
  }, [state.status, route])
}

function SignedIn({ route, userId }: { route: Route; userId: string }) {
  const { api } = useServices()
  const me = useAsync((signal) => api.get<Me>('/me', { signal }), [userId])

  useEffect(() => {
    const first = me.data?.memberships[0]
    if (route.name === 'home' && first)
      navigate({ name: 'overview', org: first.org_id, range: 30 }, { replace: true })
  }, [route, me.data])

  const orgId = routeOrg(route)
  const viewer = useMemo<Viewer | undefined>(() => {
    const membership = me.data?.memberships.find((m) => m.org_id === orgId)
    return me.data && membership ? { me: me.data, org: membership, role: membership.role, userId } : undefined
  }, [me.data, orgId, userId])

  if (!me.data) {
    if (me.status === 'error') return html`<${ErrorState} error=${me.error} retry=${me.reload} />`
    return html`<${Loading} label="Loading your profile…" />`
  }
  if (me.data.memberships.length === 0)
    return html`<${NotFound} message="Your account is not a member of any organization yet. Ask an admin to add you." />`
  if (route.name === 'home' || route.name === 'sign-in') return html`<${Loading} />`
  if (!viewer)
    return html`<${NotFound} message="This organization does not exist, or you are not a member of it." />`

  return html`<${ViewerContext.Provider} value=${viewer}>
    <${LiveProvider} key=${viewer.org.org_id} topic=${viewer.org.live_topic} onRotated=${me.reload}>
      <${OwnerNotifications} />
      <${Layout} route=${route}>${screenFor(route)}</${Layout}>
    </${LiveProvider}>
  </${ViewerContext.Provider}>`
}

function screenFor(route: Route) {
  switch (route.name) {
    case 'overview':
      return html`<${Overview} route=${route} />`
    case 'customers':
      return html`<${Customers} route=${route} />`
    case 'pipeline':
      return html`<${Pipeline} route=${route} />`
    case 'customer':
      return html`<${CustomerDetail} key=${route.id} route=${route} />`
    case 'chat':
      return html`<${Chat} route=${route} />`
    default:
      return html`<${NotFound} />`
  }
}
