import { beforeAll, describe } from 'vitest'
import {
  affected,
  eachActor,
  expectations,
  fails,
  membersOfA,
  noPrivilege,
  sees,
  useWorld,
} from './matrix.ts'

/**
 * Per-organization phase settings (issue 19): members read their
 * organization's; admins and owners change a phase's probability and stuck
 * threshold; nobody adds or removes a phase (the database made one row per
 * phase with the organization), and org_id and phase are not the client's.
 */
const w = useWorld()

beforeAll(() => {
  for (const [org, label] of [
    [w.f.orgA, 'orgA'],
    [w.f.orgB, 'orgB'],
  ] as const)
    w.labels.set(`${org}/lead`, `${label} lead`)
})

const denied = noPrivilege('phase_settings')
const admins = { owner: affected(1), admin: affected(1), service_role: affected(1) }

describe('phase_settings: select', () => {
  eachActor(
    'selecting every organization’s lead setting',
    expectations(sees(), {
      anon: denied,
      ...Object.fromEntries(membersOfA.map((m) => [m, sees('orgA lead')])),
      outsider: sees('orgB lead'),
      service_role: sees('orgA lead', 'orgB lead'),
    }),
    (actor) =>
      w.read(actor, `select org_id || '/' || phase as key from public.phase_settings where phase = 'lead'`),
  )
})

describe('phase_settings: update', () => {
  const update = (set: string) =>
    `update public.phase_settings set ${set} where org_id = $1 and phase = 'lead' returning 1`

  eachActor(
    'changing org A’s lead probability',
    expectations(affected(0), { ...admins, anon: denied }),
    (actor) => w.write(actor, update('probability = 15'), [w.f.orgA]),
  )

  eachActor(
    'changing org A’s lead stuck threshold',
    expectations(affected(0), { ...admins, anon: denied }),
    (actor) => w.write(actor, update('stuck_after_days = 45'), [w.f.orgA]),
  )

  eachActor(
    'changing org B’s lead probability',
    expectations(affected(0), { anon: denied, outsider: affected(1), service_role: affected(1) }),
    (actor) => w.write(actor, update('probability = 15'), [w.f.orgB]),
  )

  const probabilityOutOfRange = fails({
    code: '23514',
    message:
      'new row for relation "phase_settings" violates check constraint "phase_settings_probability_range"',
  })
  eachActor(
    'setting org A’s lead probability to 101 %',
    expectations(affected(0), {
      anon: denied,
      owner: probabilityOutOfRange,
      admin: probabilityOutOfRange,
      service_role: probabilityOutOfRange,
    }),
    (actor) => w.write(actor, update('probability = 101'), [w.f.orgA]),
  )

  const onlyOpen = fails({
    code: '23514',
    message:
      'new row for relation "phase_settings" violates check constraint "phase_settings_probability_only_open"',
  })
  eachActor(
    'giving org A’s won phase a probability',
    expectations(affected(0), { anon: denied, owner: onlyOpen, admin: onlyOpen, service_role: onlyOpen }),
    (actor) =>
      w.write(
        actor,
        `update public.phase_settings set probability = 90 where org_id = $1 and phase = 'won' returning 1`,
        [w.f.orgA],
      ),
  )

  eachActor(
    'moving org A’s lead setting to another phase',
    expectations(denied, {
      service_role: fails({
        code: '23505',
        message: 'duplicate key value violates unique constraint "phase_settings_pkey"',
      }),
    }),
    (actor) => w.write(actor, update(`phase = 'qualified'`), [w.f.orgA]),
  )

  eachActor(
    'moving org A’s lead setting to org B',
    expectations(denied, { service_role: fails({ code: '42501', message: 'org_id cannot be changed' }) }),
    (actor) => w.write(actor, `${update('org_id = $2')}`, [w.f.orgA, w.f.orgB]),
  )
})

describe('phase_settings: insert and delete', () => {
  eachActor('deleting org A’s lead setting', expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(actor, `delete from public.phase_settings where org_id = $1 and phase = 'lead' returning 1`, [
      w.f.orgA,
    ]),
  )

  eachActor(
    'adding a second lead setting to org A',
    expectations(denied, {
      service_role: fails({
        code: '23505',
        message: 'duplicate key value violates unique constraint "phase_settings_pkey"',
      }),
    }),
    (actor) =>
      w.write(
        actor,
        `insert into public.phase_settings (org_id, phase, probability) values ($1, 'lead', 5) returning 1`,
        [w.f.orgA],
      ),
  )
})
