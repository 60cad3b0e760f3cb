/**
 * The API's shapes, inferred from the zod schemas the API itself validates
 * with (functions/routes): type-only imports, so nothing of zod reaches the
 * browser bundle, and a changed field breaks the web's type check.
 */
import type { z } from 'zod'
import type * as chat from '../../../functions/routes/chat/chat.schemas.ts'
import type * as contacts from '../../../functions/routes/contacts/contacts.schemas.ts'
import type * as customers from '../../../functions/routes/customers/customers.schemas.ts'
import type * as documents from '../../../functions/routes/documents/documents.schemas.ts'
import type * as me from '../../../functions/routes/me/me.schemas.ts'
import type * as members from '../../../functions/routes/members/members.schemas.ts'
import type * as metrics from '../../../functions/routes/metrics/metrics.schemas.ts'
import type * as daily from '../../../functions/routes/metrics-daily/metrics-daily.schemas.ts'
import type * as notifications from '../../../functions/routes/notifications/notifications.schemas.ts'
import type * as processes from '../../../functions/routes/processes/processes.schemas.ts'
import type * as sales from '../../../functions/routes/sales-figures/sales-figures.schemas.ts'
import type * as services from '../../../functions/routes/services/services.schemas.ts'
import type * as tasks from '../../../functions/routes/tasks/tasks.schemas.ts'
import type * as teams from '../../../functions/routes/teams/teams.schemas.ts'
import type * as timeline from '../../../functions/routes/timeline/timeline.schemas.ts'

export interface Page<T> {
  data: T[]
  next_cursor: string | null
}

export type Me = z.infer<typeof me.Me>
export type Membership = z.infer<typeof me.MyMembership>
export type Role = z.infer<typeof me.MembershipRole>
export type Member = z.infer<typeof members.Member>
export type Customer = z.infer<typeof customers.Customer>
export type CustomerDetail = z.infer<typeof customers.CustomerDetail>
export type CustomerCreate = z.input<typeof customers.CustomerCreate>
export type Phase = z.infer<typeof customers.CustomerPhase>
export type { CustomerSort } from '../../../functions/domain/vocabulary.ts'
export type Contact = z.infer<typeof contacts.Contact>
export type Team = z.infer<typeof teams.Team>
export type Process = z.infer<typeof processes.Process>
export type ProcessStatus = z.infer<typeof processes.ProcessStatus>
export type Service = z.infer<typeof services.Service>
export type Document = z.infer<typeof documents.Document>
export type DocumentCategory = z.infer<typeof documents.DocumentCategory>
export type DocumentUpload = z.infer<typeof documents.DocumentUpload>
export type DocumentDownload = z.infer<typeof documents.DocumentDownload>
export type TimelineEvent = z.infer<typeof timeline.TimelineEvent>
export type TimelineEventType = z.infer<typeof timeline.TimelineEventType>
export type MetricsOverview = z.infer<typeof metrics.MetricsOverview>
export type DailyMetrics = z.infer<typeof daily.DailyMetrics>
export type DailyMetricsDay = z.infer<typeof daily.DailyMetricsDay>
export type SalesFigures = z.infer<typeof sales.SalesFigures>
export type TaskListItem = z.infer<typeof tasks.TaskListItem>
export type NotificationItem = z.infer<typeof notifications.Notification>
export type NotificationPage = z.infer<typeof notifications.NotificationPage>
export type ChatSession = z.infer<typeof chat.ChatSession>
export type ChatMessage = z.infer<typeof chat.ChatMessage>
