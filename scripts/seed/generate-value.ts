import type { Faker } from '@faker-js/faker'
import {
  type ActivityKind,
  type ActivityOutcome,
  type CustomerPhase,
  customerPhases,
  defaultPhaseProbabilities,
  defaultStuckAfterDays,
  phaseOutcomes,
} from '../../functions/domain/vocabulary.ts'
import { activitySummaries, nextSteps, taskTitles } from './catalog.ts'
import { seedUuid } from './ids.ts'
import { agesBetween, DAY, HOUR } from './random.ts'
import type { ActivityRow, NotificationRow, PhaseSettingRow, TaskRow } from './tables.ts'

/**
 * What a customer is worth and what is being done about it (issue 19): its
 * deal value, close date and next step, its services' rates, its tasks (some
 * overdue, with their assignee's notification), and the calls, emails and
 * meetings logged on it, each with the timeline event the database would
 * have written (the seed loads with triggers off).
 *
 * Drawn from a faker of its own (`value`), so the rest of a customer (names,
 * phases, children) comes out as it did before these fields existed.
 */
export interface CustomerValue {
  deal_value: string | null
  expected_close_date: number | null
  next_step: string | null
  tasks: TaskRow[]
  notifications: NotificationRow[]
  activities: ActivityRow[]
}

export interface CustomerStory {
  i: number
  orgId: string
  customerId: string
  phase: CustomerPhase
  /** The phases walked, first to current, and the age of each change (path[k + 1] at changeAges[k]). */
  path: readonly CustomerPhase[]
  changeAges: readonly number[]
  createdAge: number
  /** Who works the customer: its owner, else the org's manager. */
  actor: string
  /** Members who write (not viewers), for the odd activity logged by a colleague. */
  writers: readonly string[]
  /** Adds a timeline event, as the generator's own event() does. */
  event: (type: string, age: number, actorId: string | null, description: string, payload?: object) => void
}

const kindWeights: Record<ActivityKind, number> = { call: 5, email: 4, meeting: 2 }
const outcomeWeights: Record<ActivityOutcome, number> = {
  completed: 10,
  no_answer: 3,
  left_message: 3,
  follow_up: 5,
  not_interested: 1,
}
const weighted = <T extends string>(weights: Record<T, number>) =>
  (Object.entries(weights) as [T, number][]).map(([value, weight]) => ({ value, weight }))
const kindChoices = weighted(kindWeights)
const outcomeChoices = weighted(outcomeWeights)

/** Close dates ahead of today by phase: the further along, the sooner (days). */
const closeWindow: Partial<Record<CustomerPhase, [number, number]>> = {
  lead: [45, 180],
  qualified: [30, 120],
  proposal: [10, 75],
  negotiation: [2, 40],
}

export function generateCustomerValue(value: Faker, story: CustomerStory): CustomerValue {
  const { phase, path, changeAges } = story
  const outcome = phaseOutcomes[phase]
  const open = outcome === 'open'

  // One-off deal values (setup, licences), rounded to 250; most open and won deals have one.
  const deal_value = value.datatype.boolean(open || outcome === 'won' ? 0.7 : 0.4)
    ? (Math.round(value.number.int({ min: 1_500, max: 80_000 }) / 250) * 250).toFixed(2)
    : null

  // Open deals close ahead (one in eight has slipped past its date); closed ones closed when they did.
  let expected_close_date: number | null = null
  const window = closeWindow[phase]
  if (window) {
    expected_close_date = value.datatype.boolean(0.125)
      ? -value.number.int({ min: 1, max: 20 })
      : value.number.int({ min: window[0], max: window[1] })
  } else {
    const closing = path.findIndex((p) => p === 'won' || p === 'lost')
    const closedAge = closing > 0 ? changeAges[closing - 1] : undefined
    if (closedAge !== undefined) expected_close_date = -Math.floor(closedAge / DAY)
  }

  const next_step = open || phase === 'onboarding' ? value.helpers.arrayElement(nextSteps) : null

  const { tasks, notifications } = generateTasks(value, story, open)
  const activities = generateActivities(value, story, open ? 4 : 2)
  return { deal_value, expected_close_date, next_step, tasks, notifications, activities }
}

/** Open deals have 1–3 tasks, the others 0–1: done ones in the past, open ones due soon, some overdue. */
function generateTasks(value: Faker, story: CustomerStory, open: boolean) {
  const { i, orgId, customerId, createdAge, actor } = story
  const tasks: TaskRow[] = []
  const notifications: NotificationRow[] = []
  const count = open ? value.number.int({ min: 1, max: 3 }) : value.number.int({ min: 0, max: 1 })
  for (let k = 0; k < count; k++) {
    const id = seedUuid(`task:${i}:${k}`)
    const title = value.helpers.arrayElement(taskTitles)
    const createdAt = agesBetween(value, createdAge, HOUR, 1)[0] as number
    const roll = value.number.int({ min: 0, max: 9 })
    // 0–3 done, 4–5 overdue, 6–9 due ahead (negative ages are in the future).
    let dueAt: number
    let doneAt: number | null = null
    if (roll <= 3 || !open) {
      dueAt = agesBetween(value, createdAt, HOUR, 1)[0] as number
      doneAt = Math.max(HOUR, dueAt - value.number.int({ min: -2 * DAY, max: 2 * DAY }))
      doneAt = Math.min(doneAt, createdAt - 1)
    } else if (roll <= 5) {
      dueAt = value.number.int({ min: 2 * HOUR, max: Math.max(2 * HOUR, Math.min(createdAt - 1, 12 * DAY)) })
    } else {
      dueAt = -value.number.int({ min: HOUR, max: 21 * DAY })
    }
    tasks.push({
      id,
      org_id: orgId,
      customer_id: customerId,
      assignee_id: actor,
      title,
      due_at: dueAt,
      done_at: doneAt,
      created_by: actor,
      created_at: createdAt,
      updated_at: doneAt ?? createdAt,
    })
    if (doneAt !== null) {
      story.event('task_completed', doneAt, actor, `Task ${title} completed`, {
        task_id: id,
        title,
        assignee_id: actor,
      })
    } else if (dueAt > 0) {
      // The overdue sweep runs every few minutes: notified soon after the due time, some already read.
      const notifiedAt = Math.max(1, dueAt - value.number.int({ min: 60, max: 15 * 60 }))
      notifications.push({
        id: seedUuid(`notification:${i}:${k}`),
        org_id: orgId,
        user_id: actor,
        kind: 'task_overdue',
        task_id: id,
        title: `Task overdue: ${title}`,
        created_at: notifiedAt,
        read_at: value.datatype.boolean(0.5)
          ? Math.max(0, notifiedAt - value.number.int({ min: 60, max: 6 * HOUR }))
          : null,
      })
    }
  }
  return { tasks, notifications }
}

/** Calls, emails and meetings over the customer's life, each with its activity_logged event. */
function generateActivities(value: Faker, story: CustomerStory, max: number): ActivityRow[] {
  const { i, orgId, customerId, createdAge, actor, writers } = story
  const count = value.number.int({ min: 1, max })
  return agesBetween(value, createdAge, 0, count).map((age, k) => {
    const kind = value.helpers.weightedArrayElement(kindChoices)
    const outcome = value.helpers.weightedArrayElement(outcomeChoices)
    const summary = value.helpers.arrayElement(activitySummaries[kind])
    const who = value.datatype.boolean(0.85) ? actor : value.helpers.arrayElement(writers)
    const id = seedUuid(`activity:${i}:${k}`)
    story.event(
      'activity_logged',
      age,
      who,
      `${kind[0]?.toUpperCase()}${kind.slice(1)}: ${outcome.replaceAll('_', ' ')} — ${summary}`,
      { activity_id: id, kind, outcome },
    )
    return {
      id,
      org_id: orgId,
      customer_id: customerId,
      kind,
      outcome,
      summary,
      occurred_at: age,
      actor_id: who,
      created_at: age,
    }
  })
}

/**
 * An organization's phase settings: the vocabulary's defaults, which the
 * database gives a new organization; the second demo organization has tuned
 * its own, so the settings screen shows both.
 */
export function generatePhaseSettings(orgId: string, n: number, age: number): PhaseSettingRow[] {
  const tuned: Partial<Record<CustomerPhase, number>> = n === 1 ? { proposal: 40, negotiation: 80 } : {}
  return customerPhases.map((phase) => ({
    org_id: orgId,
    phase,
    probability:
      tuned[phase] ?? (defaultPhaseProbabilities as Partial<Record<CustomerPhase, number>>)[phase] ?? null,
    stuck_after_days: defaultStuckAfterDays[phase],
    updated_at: age,
  }))
}
