import type { Faker } from '@faker-js/faker'
import {
  type CustomerPhase,
  customerPhases,
  type ProcessStatus,
  processStatuses,
} from '../../functions/domain/vocabulary.ts'
import {
  departments,
  documentKinds,
  noteTemplates,
  noteTopics,
  processNames,
  serviceNames,
} from './catalog.ts'
import type { OrganizationPeople } from './generate-accounts.ts'
import { generateCustomerValue } from './generate-value.ts'
import { phasePath, statusPath } from './histories.ts'
import { seedUuid } from './ids.ts'
import { agesBetween, createFaker, DAY } from './random.ts'
import type {
  ActivityRow,
  ContactRow,
  CustomerRow,
  DocumentRow,
  ExternalIdRow,
  NotificationRow,
  ProcessRow,
  ServiceRow,
  TaskRow,
  TeamRow,
  TimelineEventRow,
} from './tables.ts'

/** A customer with everything that hangs off it, as one unit of generation. */
export interface CustomerBundle {
  customer: CustomerRow
  contacts: ContactRow[]
  teams: TeamRow[]
  processes: ProcessRow[]
  services: ServiceRow[]
  documents: DocumentRow[]
  externalIds: ExternalIdRow[]
  events: TimelineEventRow[]
  tasks: TaskRow[]
  notifications: NotificationRow[]
  activities: ActivityRow[]
}

/** Customers arrive over the last ~180 days, more of them recently (a growing team). */
const historyDays = 180
/** Every customer has at least this many timeline events, so 100k customers give ≥ 1M events. */
export const minEventsPerCustomer = 10
/**
 * faker is reseeded at every block of customers: customer i comes out the same
 * whether the run asks for 100 or 100,000, without paying for a reseed each time.
 */
const blockSize = 64

const phaseWeights: Record<CustomerPhase, number> = {
  lead: 20,
  qualified: 14,
  proposal: 10,
  negotiation: 8,
  won: 5,
  onboarding: 6,
  active: 22,
  churned: 7,
  lost: 8,
}
const statusWeights: Record<ProcessStatus, number> = {
  planned: 25,
  in_progress: 30,
  blocked: 10,
  done: 25,
  cancelled: 10,
}

const weighted = <T extends string>(weights: Record<T, number>) =>
  (Object.entries(weights) as [T, number][]).map(([value, weight]) => ({ value, weight }))
const phaseChoices = weighted(phaseWeights)
const statusChoices = weighted(statusWeights)

/** Customers in order 0..count-1; org i % orgs, so every org grows alike. */
export function* generateCustomers(
  count: number,
  orgs: readonly OrganizationPeople[],
): Generator<CustomerBundle> {
  let faker = createFaker(1, 0)
  // Money, tasks and activities draw from a stream of their own (see generate-value.ts).
  let value = createFaker(2, 0)
  for (let i = 0; i < count; i++) {
    if (i % blockSize === 0) {
      faker = createFaker(1, i / blockSize)
      value = createFaker(2, i / blockSize)
    }
    yield generateCustomer(faker, value, i, orgs[i % orgs.length] as OrganizationPeople, orgs.length)
  }
}

function generateCustomer(
  faker: Faker,
  value: Faker,
  i: number,
  org: OrganizationPeople,
  orgCount: number,
): CustomerBundle {
  const id = seedUuid(`customer:${i}`)
  const name = faker.company.name()
  const domain = `${slug(name)}.example`
  // The first customers of each org walk through every phase once, so even the smallest seed shows all nine.
  const forced = Math.floor(i / orgCount)
  const phase =
    forced < customerPhases.length ? customerPhases[forced] : faker.helpers.weightedArrayElement(phaseChoices)
  const path = phasePath(phase as CustomerPhase, faker.number.int({ min: 0, max: 6 }))
  const owner = pickOwner(faker, org)
  // Someone always acts: the owner, or for unassigned customers the org's manager.
  const actor = owner ?? memberWithRole(org, 'manager')
  const others = org.members.filter((m) => m.role !== 'viewer').map((m) => m.id)

  // Further along the pipeline means older: at least two days per step taken.
  const steps = path.length - 1
  const createdAge = Math.min(
    historyDays * DAY,
    Math.max(Math.round(historyDays * DAY * faker.number.float() ** 1.3), (steps * 2 + 1) * DAY),
  )

  const events: TimelineEventRow[] = []
  const event = (type: string, age: number, actorId: string | null, description: string, payload = {}) =>
    events.push({
      id: seedUuid(`event:${i}:${events.length}`),
      org_id: org.id,
      customer_id: id,
      type,
      description,
      occurred_at: age,
      actor_id: actorId,
      payload,
    })

  event('customer_created', createdAge, actor, `Customer ${name} created in phase ${path[0]}`, {
    phase: path[0],
    name,
  })
  const phaseAges = agesBetween(faker, createdAge, 0, steps)
  phaseAges.forEach((age, step) => {
    const [from, to] = [path[step], path[step + 1]]
    event('phase_changed', age, actor, `Phase changed from ${from} to ${to}`, {
      old_phase: from,
      new_phase: to,
    })
  })

  const child = (kind: string, k: number, childName: string, age: number) => ({
    id: seedUuid(`${kind}:${i}:${k}`),
    org_id: org.id,
    customer_id: id,
    name: childName,
    created_at: age,
    updated_at: age,
  })

  const contacts = Array.from({ length: faker.number.int({ min: 1, max: 3 }) }, (_, k) => {
    const firstName = faker.person.firstName()
    const lastName = faker.person.lastName()
    return {
      ...child(
        'contact',
        k,
        `${firstName} ${lastName}`,
        k === 0 ? createdAge : (agesBetween(faker, createdAge, 0, 1)[0] as number),
      ),
      email: faker.internet.email({ firstName, lastName, provider: domain }).toLowerCase(),
      phone: faker.phone.number({ style: 'international' }),
      role: faker.person.jobTitle(),
    }
  })

  const teams = faker.helpers.arrayElements(departments, { min: 1, max: 2 }).map((dept, k) => ({
    ...child('team', k, dept.name, createdAge),
    // Unique per customer because each department appears once.
    finance_code: `${dept.code}-${faker.string.numeric(4)}`,
  }))

  const processes = faker.helpers.arrayElements(processNames, { min: 1, max: 3 }).map((processName, k) => {
    const status: ProcessStatus =
      k === 0 && i < processStatuses.length * orgCount
        ? (processStatuses[Math.floor(i / orgCount)] as ProcessStatus)
        : faker.helpers.weightedArrayElement(statusChoices)
    const processId = seedUuid(`process:${i}:${k}`)
    const [startAge, ...changeAges] = agesBetween(faker, createdAge, 0, statusPath(status).length)
    const statuses = statusPath(status)
    changeAges.forEach((age, n) => {
      const [from, to] = [statuses[n], statuses[n + 1]]
      event('process_status_changed', age, actor, `Process ${processName}: ${from} → ${to}`, {
        process_id: processId,
        old_status: from,
        new_status: to,
      })
    })
    return {
      ...child('process', k, processName, startAge as number),
      updated_at: changeAges.at(-1) ?? (startAge as number),
      status,
      phase: faker.datatype.boolean() ? (phase as string) : null,
    }
  })

  const services = faker.helpers.arrayElements(serviceNames, { min: 1, max: 2 }).map((serviceName, k) => ({
    ...child('service', k, serviceName, agesBetween(faker, createdAge, 0, 1)[0] as number),
    monthly_hours: faker.number.float({ min: 2, max: 160, fractionDigits: 2 }).toFixed(2),
    hourly_rate: null as string | null,
  }))
  // About a third sold at a rate of their own (a multiple of 5), the rest at the organization's.
  for (const service of services)
    if (value.datatype.boolean(0.3))
      service.hourly_rate = (value.number.int({ min: 14, max: 40 }) * 5).toFixed(2)

  const documents = Array.from({ length: faker.number.int({ min: 1, max: 2 }) }, (_, k) => {
    const kind = faker.helpers.arrayElement(documentKinds)
    const documentId = seedUuid(`document:${i}:${k}`)
    const docName = `${kind.title} - ${name}.${kind.ext}`
    const age = agesBetween(faker, createdAge, 0, 1)[0] as number
    const uploader = faker.helpers.arrayElement(others)
    event('document_added', age, uploader, `Document ${docName} added`, {
      document_id: documentId,
      name: docName,
      category: kind.category,
    })
    return {
      ...child('document', k, docName, age),
      category: kind.category,
      // Storage policies check the first folder: the tenant.
      storage_path: `org/${org.id}/customers/${id}/${documentId}/${kind.title.replace(/[^A-Za-z0-9]+/g, '-')}.${kind.ext}`,
      size_bytes: faker.number.int({ min: 20_000, max: 5_000_000 }),
      content_type: kind.type,
      uploaded_by: uploader,
    }
  })

  const externalIds: ExternalIdRow[] = []
  // About a third came in from a CRM; numbered by index so ids never collide within an org.
  if (i % 10 < 3) externalIds.push(externalId(org.id, id, 'hubspot', String(9_000_000 + i), createdAge))
  if (i % 10 === 2 || i % 10 === 5)
    externalIds.push(externalId(org.id, id, 'pipedrive', String(1 + i), createdAge))

  const noteCount = Math.max(1, minEventsPerCustomer - events.length) + faker.number.int({ min: 0, max: 3 })
  for (const age of agesBetween(faker, createdAge, 0, noteCount)) {
    const contact = faker.helpers.arrayElement(contacts)
    const template = faker.helpers.arrayElement(noteTemplates)
    const author = faker.datatype.boolean(0.8) ? actor : faker.helpers.arrayElement(others)
    event(
      'note',
      age,
      author,
      template(contact.name.split(' ')[0] as string, faker.helpers.arrayElement(noteTopics)),
    )
  }

  const worth = generateCustomerValue(value, {
    i,
    orgId: org.id,
    customerId: id,
    phase: phase as CustomerPhase,
    path,
    changeAges: phaseAges,
    createdAge,
    actor,
    writers: others,
    event,
  })

  return {
    customer: {
      id,
      org_id: org.id,
      name,
      phase: phase as string,
      owner_id: owner,
      deal_value: worth.deal_value,
      expected_close_date: worth.expected_close_date,
      next_step: worth.next_step,
      // As the database stamps it: when the customer entered its phase.
      phase_entered_at: phaseAges.at(-1) ?? createdAge,
      created_at: createdAge,
      // Last written when its phase last changed.
      updated_at: phaseAges.at(-1) ?? createdAge,
    },
    contacts,
    teams,
    processes,
    services,
    documents,
    externalIds,
    events,
    tasks: worth.tasks,
    notifications: worth.notifications,
    activities: worth.activities,
  }
}

function externalId(
  orgId: string,
  customerId: string,
  provider: string,
  value: string,
  age: number,
): ExternalIdRow {
  return { org_id: orgId, customer_id: customerId, provider, external_id: value, created_at: age }
}

/** Mostly reps own customers; managers and owners take a few; some wait unassigned. */
function pickOwner(faker: Faker, org: OrganizationPeople): string | null {
  const roll = faker.number.int({ min: 0, max: 99 })
  if (roll < 8) return null
  if (roll < 18) return memberWithRole(org, 'manager')
  if (roll < 23) return memberWithRole(org, 'owner')
  return faker.helpers.arrayElement(org.members.filter((m) => m.role === 'rep')).id
}

function memberWithRole(org: OrganizationPeople, role: string): string {
  const member = org.members.find((m) => m.role === role)
  if (!member) throw new Error(`Demo organization ${org.key} has no ${role}`)
  return member.id
}

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'customer'
