import { beforeAll, describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

/** Settings the database would refuse are refused naming the field, with the reason, not a constraint's name. */
describe('organization settings rules', () => {
  const api = useApiFixture()
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  const probability = async (phase: string) => {
    const [row] = await t.db.query<{ probability: number | null }>(
      'select probability from public.phase_settings where org_id = $1 and phase = $2',
      [f.orgA, phase],
    )
    return row?.probability
  }

  it('should refuse a probability on a phase that is not open, naming the field and why', async () => {
    for (const phase of ['won', 'onboarding', 'active', 'churned', 'lost']) {
      const res = await request('PATCH', `/orgs/${f.orgA}/phase-settings/${phase}`, {
        token: tokens.owner,
        body: { probability: 50, stuck_after_days: 5 },
      })
      expect(res.status, phase).toBe(422)
      expect(failingFields(res), phase).toEqual(['body.probability'])
      expect(res.json.errors[0].message).toMatch(/open phases/)
      expect(await probability(phase)).toBeNull()
    }
    // Null is what a closed phase holds: sending it changes nothing and is fine.
    const none = await request('PATCH', `/orgs/${f.orgA}/phase-settings/won`, {
      token: tokens.owner,
      body: { probability: null, stuck_after_days: 5 },
    })
    expect(none.status).toBe(200)
    expect(none.json).toEqual({ phase: 'won', probability: null, stuck_after_days: 5 })
  })

  it('should refuse clearing an open phase’s probability, naming the field', async () => {
    const res = await request('PATCH', `/orgs/${f.orgA}/phase-settings/lead`, {
      token: tokens.owner,
      body: { probability: null },
    })
    expect(res.status).toBe(422)
    expect(failingFields(res)).toEqual(['body.probability'])
    expect(await probability('lead')).toBe(10)
  })

  it('should refuse it whoever asks: the rule depends on the phase alone, so it tells nobody anything', async () => {
    for (const who of ['rep', 'outsider'] as const) {
      const res = await request('PATCH', `/orgs/${f.orgA}/phase-settings/lost`, {
        token: tokens[who],
        body: { probability: 5 },
      })
      expect(res.status, who).toBe(422)
    }
  })

  it('should refuse a time zone the database does not know, naming time_zone, on change and on create', async () => {
    for (const time_zone of ['Mars/Base', 'europe/berlin', '+05:00']) {
      const patch = await request('PATCH', `/orgs/${f.orgA}`, { token: tokens.admin, body: { time_zone } })
      expect(patch.status, time_zone).toBe(422)
      expect(failingFields(patch), time_zone).toEqual(['body.time_zone'])
      const create = await request('POST', '/orgs', {
        token: tokens.stranger,
        body: { name: 'Far', time_zone },
      })
      expect(create.status, time_zone).toBe(422)
      expect(failingFields(create), time_zone).toEqual(['body.time_zone'])
    }
    const [row] = await t.db.query<{ n: number }>(
      `select count(*)::int as n from public.organizations where name = 'Far'`,
    )
    expect(row?.n).toBe(0)
  })

  it('should take every zone the database knows, including those Intl does not list', async () => {
    // UTC and Etc/GMT+5 are not in Intl.supportedValuesOf('timeZone'); Factory is not a zone to Intl at all.
    const known = await t.db.query<{ name: string }>(
      `select name from pg_catalog.pg_timezone_names
       where name in ('UTC', 'Etc/GMT+5', 'Factory', 'EST5EDT', 'Europe/Berlin', 'America/Argentina/Buenos_Aires')`,
    )
    expect(known.map((z) => z.name)).toEqual(expect.arrayContaining(['UTC', 'Etc/GMT+5', 'Europe/Berlin']))
    for (const { name } of known) {
      const res = await request('PATCH', `/orgs/${f.orgA}`, {
        token: tokens.admin,
        body: { time_zone: name },
      })
      expect(res.status, name).toBe(200)
      expect(res.json.time_zone).toBe(name)
    }
  })
})
