import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testServerUrl } from '../../tests/support/server-url.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { createPostgresDatabase } from './postgres.ts'
import { likePattern, type Sql, sql } from './sql.ts'

const render = (fragment: Sql) => ({ text: fragment.text, params: fragment.params })

describe('sql', () => {
  it('should turn every interpolated value into a numbered parameter', () => {
    const orgId = '6f1c0000-0000-4000-8000-000000000001'
    expect(render(sql`select id from public.customers where org_id = ${orgId} and name = ${'Acme'}`)).toEqual(
      {
        text: 'select id from public.customers where org_id = $1 and name = $2',
        params: [orgId, 'Acme'],
      },
    )
  })

  it('should number the parameters of nested fragments in the order they appear', () => {
    const phase = sql`c.phase = ${'won'}`
    const owner = sql`c.owner_id = ${'u1'}`
    const statement = sql`select 1 from public.customers c where c.org_id = ${'o1'} and ${phase} and ${owner} limit ${5}`
    expect(render(statement)).toEqual({
      text: 'select 1 from public.customers c where c.org_id = $1 and c.phase = $2 and c.owner_id = $3 limit $4',
      params: ['o1', 'won', 'u1', 5],
    })
  })

  it('should splice fragments nested several levels deep, at the start and the end of a template', () => {
    const inner = sql`${'a'} = ${'b'}`
    const middle = sql`${inner} or ${inner}`
    const outer = sql`${middle}`
    expect(render(sql`(${outer})`)).toEqual({ text: '($1 = $2 or $3 = $4)', params: ['a', 'b', 'a', 'b'] })
    expect(render(sql`${sql.empty}${sql.empty}`)).toEqual({ text: '', params: [] })
  })

  it('should join fragments with a separator, and join none into nothing', () => {
    const conditions = [sql`a = ${1}`, sql`b = ${2}`, sql`c = ${3}`]
    expect(render(sql`where ${sql.join(conditions, ' and ')}`)).toEqual({
      text: 'where a = $1 and b = $2 and c = $3',
      params: [1, 2, 3],
    })
    expect(render(sql.join([], ' and '))).toEqual({ text: '', params: [] })
    expect(render(sql`x${sql.join([], ', ')}y`)).toEqual({ text: 'xy', params: [] })
    expect(render(sql.join([sql`only = ${1}`], ' or '))).toEqual({ text: 'only = $1', params: [1] })
    expect(render(sql.join([sql`a`, sql`b`], sql` union all select ${'z'}, `))).toEqual({
      text: 'a union all select $1, b',
      params: ['z'],
    })
  })

  it('should keep a value that looks like SQL a parameter, never text', () => {
    const attack = `x'; drop table public.customers; --`
    const statement = sql`select ${attack} as v, ${'$1'} as w, ${':x'} as y`
    expect(statement.text).toBe('select $1 as v, $2 as w, $3 as y')
    expect(statement.params).toEqual([attack, '$1', ':x'])
  })

  it('should refuse arrays, objects and undefined, which the drivers bind differently or not at all', () => {
    expect(() => sql`select ${['a', 'b']}`).toThrow(/sql\.json|sql\.textArray/)
    expect(() => sql`select ${{ a: 1 }}`).toThrow(/sql\.json/)
    expect(() => sql`select ${undefined}`).toThrow(/null/)
    expect(() => sql`select ${() => 1}`).toThrow(TypeError)
    expect(render(sql`select ${null}, ${0}, ${false}, ${''}`).params).toEqual([null, 0, false, ''])
  })

  it('should bind lists as one jsonb or one text-array parameter', () => {
    expect(render(sql`select * from jsonb_to_recordset(${sql.json([{ a: 1 }])}) as r(a int)`)).toEqual({
      text: 'select * from jsonb_to_recordset($1::jsonb) as r(a int)',
      params: ['[{"a":1}]'],
    })
    expect(render(sql`select ${sql.textArray(['lead', 'won'])}::public.customer_phase[]`)).toEqual({
      text: 'select $1::text::public.customer_phase[]',
      params: ['{lead,won}'],
    })
    expect(render(sql`select ${sql.textArray([])}::text[]`).params).toEqual(['{}'])
    expect(() => sql.textArray(['lead', 'won}', '"x"'])).toThrow(/plain word/)
  })

  it('should splice only plain identifiers', () => {
    expect(
      sql`select ${sql.identifier('x.monthly_hours')} from ${sql.identifier('public.services')} x`.text,
    ).toBe('select x.monthly_hours from public.services x')
    for (const bad of ['name; drop table x', 'Name', 'a.b.c', '"x"', '', 'x y', '1x'])
      expect(() => sql.identifier(bad), bad).toThrow(/identifier/)
  })

  it('should render the same text for the same shape, whatever the values (one prepared statement)', () => {
    const page = (after: string) => sql`select 1 where x > ${after}`
    expect(page('a').text).toBe(page('b').text)
  })

  it('should escape LIKE wildcards so a search finds them literally', () => {
    expect(likePattern('50%_off\\')).toBe('%50\\%\\_off\\\\%')
  })
})

describe('sql on the database', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(() => t.close())

  const roundTrip = async (run: (s: Sql) => Promise<unknown[]>) => {
    const attack = `'); delete from public.organizations; --`
    const rows = await run(
      sql`select ${attack}::text as attack, ${sql.textArray(['lead', 'won'])}::public.customer_phase[] = array['lead', 'won']::public.customer_phase[] as phases,
                 (select sum(r.n)::int from jsonb_to_recordset(${sql.json([{ n: 1 }, { n: 2 }])}) as r(n int)) as total,
                 ${sql.join([sql`${1}::int as a`, sql`${2}::int as b`], ', ')}`,
    )
    expect(rows).toEqual([{ attack, phases: true, total: 3, a: 1, b: 2 }])
  }

  it('should send the rendered statement through the driver unchanged', async () => {
    await roundTrip((s) => t.db.query(s))
    await roundTrip((s) => t.db.transaction((tx) => tx.query(s)))
    // The old form stays: text and parameters.
    expect(await t.db.query('select $1::int + $2::int as n', [1, 2])).toEqual([{ n: 3 }])
  })

  it.skipIf(!testServerUrl())(
    'should bind the same way without the server’s array types, as a Worker connects (needs a Postgres server)',
    async () => {
      const worker = createPostgresDatabase(t.url as string, { max: 1, fetchTypes: false, prepare: false })
      try {
        await roundTrip((s) => worker.query(s))
      } finally {
        await worker.close()
      }
    },
  )
})
