import type { Queryable } from '../db/database.ts'
import { type Sql, sql } from '../db/sql.ts'
import type { Currency, CustomerPhase, MembershipRole } from '../domain/vocabulary.ts'

/** Organizations: the tenants every business row belongs to. */

export type OrganizationDbRow = { id: string; name: string; time_zone: string; created_at: unknown }

/**
 * Creates an organization (time zone UTC unless given). The database stamps
 * its creator, and the organizations_add_creator_as_owner trigger makes them
 * its owner. An unknown time zone breaks organizations_time_zone_known: 422.
 */
export async function createOrganization(
  tx: Queryable,
  name: string,
  timeZone: string | null,
): Promise<OrganizationDbRow | undefined> {
  const [row] = await tx.query<OrganizationDbRow>(
    sql`insert into public.organizations (name, time_zone) values (${name}, coalesce(${timeZone}, 'UTC'))
        returning id, name, time_zone, created_at`,
  )
  return row
}

/** An organization's settings as a member reads them, with the caller's role in it. */
export type OrganizationSettingsDbRow = OrganizationDbRow & {
  currency: Currency
  default_hourly_rate: string
  role: MembershipRole
}

const settingsColumns = sql`o.id, o.name, o.time_zone, o.currency, o.default_hourly_rate::text as default_hourly_rate,
  o.created_at, (select m.role from public.memberships m where m.org_id = o.id and m.user_id = auth.uid()) as role`

/** The organization's settings; undefined when the caller is not a member. */
export async function readOrganizationSettings(
  tx: Queryable,
  orgId: string,
): Promise<OrganizationSettingsDbRow | undefined> {
  const [row] = await tx.query<OrganizationSettingsDbRow>(
    sql`select ${settingsColumns} from public.organizations o where o.id = ${orgId}`,
  )
  return row?.role ? row : undefined
}

/** What an admin may change of an organization: absent leaves a setting as it is. */
export interface OrganizationChange {
  name?: string | undefined
  timeZone?: string | undefined
  currency?: string | undefined
  /** An exact decimal as text. */
  defaultHourlyRate?: string | undefined
}

/**
 * Changes the settings given (RLS: admins and owners); the changed row, or
 * none when the caller may not (or cannot see it). Only the columns given are
 * named, so a grant never refuses a column nobody asked to change.
 */
export async function updateOrganizationSettings(
  tx: Queryable,
  orgId: string,
  change: OrganizationChange,
): Promise<OrganizationSettingsDbRow | undefined> {
  const set: Sql[] = []
  if (change.name !== undefined) set.push(sql`name = ${change.name}`)
  if (change.timeZone !== undefined) set.push(sql`time_zone = ${change.timeZone}`)
  if (change.currency !== undefined) set.push(sql`currency = ${change.currency}`)
  if (change.defaultHourlyRate !== undefined)
    set.push(sql`default_hourly_rate = ${change.defaultHourlyRate}::numeric`)
  const [row] = await tx.query<OrganizationSettingsDbRow>(
    sql`with o as (
          update public.organizations set ${sql.join(set, ', ')} where id = ${orgId} returning *
        )
        select ${settingsColumns} from o`,
  )
  return row
}

export type PhaseSettingDbRow = {
  phase: CustomerPhase
  probability: number | null
  stuck_after_days: number | null
}

/** Every phase's probability (open phases only) and stuck threshold, in pipeline order. */
export function listPhaseSettings(tx: Queryable, orgId: string): Promise<PhaseSettingDbRow[]> {
  return tx.query<PhaseSettingDbRow>(
    // Ordered by the enum (pipeline order), not by the text the row carries out.
    sql`select ps.phase::text as phase, ps.probability::int as probability, ps.stuck_after_days
        from public.phase_settings ps where ps.org_id = ${orgId} order by ps.phase`,
  )
}

/** Changes one phase's settings (RLS: admins and owners); none when the caller may not. */
export async function updatePhaseSetting(
  tx: Queryable,
  orgId: string,
  phase: CustomerPhase,
  change: { probability?: number | null | undefined; stuckAfterDays?: number | null | undefined },
): Promise<PhaseSettingDbRow | undefined> {
  const set: Sql[] = []
  if (change.probability !== undefined) set.push(sql`probability = ${change.probability}`)
  if (change.stuckAfterDays !== undefined) set.push(sql`stuck_after_days = ${change.stuckAfterDays}`)
  const [row] = await tx.query<PhaseSettingDbRow>(
    sql`update public.phase_settings set ${sql.join(set, ', ')}
        where org_id = ${orgId} and phase = ${phase}::public.customer_phase
        returning phase::text as phase, probability::int as probability, stuck_after_days`,
  )
  return row
}
