import { activitiesRouter } from './activities/activities.index.ts'
import { chatRouter } from './chat/chat.index.ts'
import { contactsRouter } from './contacts/contacts.index.ts'
import { customersRouter } from './customers/customers.index.ts'
import { documentsRouter } from './documents/documents.index.ts'
import { integrationsRouter } from './integrations/integrations.index.ts'
import { invitationsRouter } from './invitations/invitations.index.ts'
import { meRouter } from './me/me.index.ts'
import { membersRouter } from './members/members.index.ts'
import { metricsRouter } from './metrics/metrics.index.ts'
import { metricsDailyRouter } from './metrics-daily/metrics-daily.index.ts'
import { notificationsRouter } from './notifications/notifications.index.ts'
import { orgsRouter } from './orgs/orgs.index.ts'
import { processesRouter } from './processes/processes.index.ts'
import { salesFiguresRouter } from './sales-figures/sales-figures.index.ts'
import { servicesRouter } from './services/services.index.ts'
import { tasksRouter } from './tasks/tasks.index.ts'
import { teamsRouter } from './teams/teams.index.ts'
import { timelineRouter } from './timeline/timeline.index.ts'
import { transferRouter } from './transfer/transfer.index.ts'

/**
 * Resource routers that need a signed-in user, mounted under the base path.
 * Adding a resource = one folder under routes/ + one line here.
 */
export const userRouters = [
  customersRouter,
  chatRouter,
  meRouter,
  membersRouter,
  metricsRouter,
  metricsDailyRouter,
  salesFiguresRouter,
  contactsRouter,
  teamsRouter,
  processesRouter,
  servicesRouter,
  tasksRouter,
  notificationsRouter,
  activitiesRouter,
  documentsRouter,
  timelineRouter,
  integrationsRouter,
  invitationsRouter,
  orgsRouter,
  transferRouter,
]
