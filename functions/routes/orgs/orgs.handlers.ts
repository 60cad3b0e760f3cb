import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { type CustomerPhase, phaseOutcomes, phasesOf } from '../../domain/vocabulary.ts'
import { isPostgresError } from '../../problems/postgres-errors.ts'
import { ApiProblem, problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import {
  createOrganization,
  type OrganizationSettingsDbRow,
  readOrganizationSettings,
  listPhaseSettings as readPhaseSettings,
  updateOrganizationSettings,
  updatePhaseSetting,
} from '../../queries/organizations.ts'
import { assertOrgVisible } from '../../queries/visibility.ts'
import type * as routes from './orgs.routes.ts'

/**
 * Open to every signed-in user. Membership is by accepted invitation only, so
 * an organization of your own reaches nobody else: it holds only what you put
 * in it until someone you invite accepts. Its creator (the database stamps
 * created_by) is made its owner by the organizations_add_creator_as_owner trigger.
 */
export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { name, time_zone } = c.req.valid('json')
  const row = await timeZoneJudged(asCaller(c, (tx) => createOrganization(tx, name, time_zone ?? null)))
  if (!row) throw new Error('the new organization was not returned')
  return c.json({ ...row, role: 'owner' as const, created_at: isoTimestamp(row.created_at) }, 201)
}

/**
 * The database judges time zones (organizations_time_zone_known: a name in
 * pg_timezone_names, which differs from Intl's list both ways and between
 * servers), so no check of ours can disagree with it: its refusal stays a 422
 * and names the field.
 */
async function timeZoneJudged<T>(write: Promise<T>): Promise<T> {
  try {
    return await write
  } catch (error) {
    if (
      isPostgresError(error) &&
      (error.constraint ?? error.constraint_name) === 'organizations_time_zone_known'
    )
      throw ruleBroken(
        'time_zone',
        'is not a time zone the database knows: an IANA name, like "Europe/Berlin" or "UTC"',
      )
    throw error
  }
}

/** A 422 (the change breaks a rule) that names the field and says why, as a 400 does. */
const ruleBroken = (field: string, message: string) =>
  new ApiProblem(422, 'constraint_violation', 'The change breaks a rule', `${field} ${message}.`, {
    errors: [{ field: `body.${field}`, message }],
  })

/**
 * Only open phases have a probability, and each of them has one
 * (phase_settings_probability_only_open stays the boundary): refused before
 * the SQL, naming the field. It depends on the phase alone, so it is answered
 * before who may change it, as a malformed body is.
 */
function probabilityProblem(phase: CustomerPhase, probability: number | null | undefined) {
  if (probability === undefined) return undefined
  const outcome = phaseOutcomes[phase]
  if ((outcome === 'open') === (probability !== null)) return undefined
  const message =
    outcome === 'open'
      ? `is required: ${phase} is an open phase, and every open phase has one`
      : `must be null: only open phases (${phasesOf('open').join(', ')}) have one; ${phase} counts as ${outcome === 'won' ? 100 : 0} %`
  return ruleBroken('probability', message)
}

const toSettings = (row: OrganizationSettingsDbRow) => ({
  id: row.id,
  name: row.name,
  time_zone: row.time_zone,
  currency: row.currency,
  default_hourly_rate: row.default_hourly_rate,
  role: row.role,
  created_at: isoTimestamp(row.created_at),
})

export const getSettings: RouteHandler<typeof routes.getSettings, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const row = await asCaller(c, (tx) => readOrganizationSettings(tx, orgId))
  if (!row) throw problems.notFound('organization')
  return c.json(toSettings(row), 200)
}

export const patchSettings: RouteHandler<typeof routes.patchSettings, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const body = c.req.valid('json')
  const row = await timeZoneJudged(
    asCaller(c, async (tx) => {
      const changed = await updateOrganizationSettings(tx, orgId, {
        name: body.name,
        timeZone: body.time_zone,
        currency: body.currency,
        defaultHourlyRate: body.default_hourly_rate,
      })
      if (changed) return changed
      // RLS let nothing through: a member below admin may not (403), anyone else cannot see it (404).
      await assertOrgVisible(tx, orgId)
      throw problems.forbidden('Only admins and owners change an organization’s settings.')
    }),
  )
  return c.json(toSettings(row), 200)
}

export const listPhaseSettings: RouteHandler<typeof routes.listPhaseSettings, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const rows = await asCaller(c, async (tx) => {
    await assertOrgVisible(tx, orgId)
    return readPhaseSettings(tx, orgId)
  })
  return c.json({ data: rows }, 200)
}

export const patchPhaseSetting: RouteHandler<typeof routes.patchPhaseSetting, AppEnv> = async (c) => {
  const { orgId, phase } = c.req.valid('param')
  const body = c.req.valid('json')
  const refused = probabilityProblem(phase, body.probability)
  if (refused) throw refused
  const row = await asCaller(c, async (tx) => {
    const changed = await updatePhaseSetting(tx, orgId, phase, {
      probability: body.probability,
      stuckAfterDays: body.stuck_after_days,
    })
    if (changed) return changed
    await assertOrgVisible(tx, orgId)
    throw problems.forbidden('Only admins and owners change the phase settings.')
  })
  return c.json(row, 200)
}
