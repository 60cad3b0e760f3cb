import { describe, expect, it } from 'vitest'
import { dbErrorOf, permissionDenied } from './expect-db-error.ts'
import { type Actor, affected, fails, noPrivilege, type Outcome, useWorld } from './matrix.ts'

/**
 * A document's file facts are the server's: where the file lives, whether it
 * arrived, its size and type, when and by whom. On Supabase any signed-in user
 * can write `public.documents` through PostgREST with their own token, so these
 * attempts are made as such a user would, in SQL as `authenticated`.
 */
const w = useWorld()

/** The fixture's ready document of rep's customer. */
async function repDocument(): Promise<{ id: string; storage_path: string }> {
  const [row] = await w.t.db.query<{ id: string; storage_path: string }>(
    'select id, storage_path from public.documents where customer_id = $1',
    [w.f.customers.repOwned],
  )
  if (!row) throw new Error('the fixture has a document for repOwned')
  return row
}

/** A path that starts in rep's folder and resolves, once a URL parser removes its dot segments, into org B's. */
const forgedPaths = () =>
  ['..', '%2e%2e', '%2E.'].map((dots) =>
    [
      `org/${w.f.orgA}/customers/${w.f.customers.repOwned}/x`,
      dots,
      dots,
      dots,
      dots,
      `${w.f.orgB}/customers/${w.f.customers.orgB}/d/secret.pdf`,
    ].join('/'),
  )

const serverOwned: [column: string, value: string][] = [
  ['status', 'ready'],
  ['size_bytes', '1234'],
  ['content_type', 'application/pdf'],
  ['uploaded_at', '2020-01-01T00:00:00Z'],
  ['uploaded_by', '00000000-0000-4000-8000-000000000008'],
  ['created_at', '2020-01-01T00:00:00Z'],
  ['updated_at', '2020-01-01T00:00:00Z'],
]

describe('documents: the file facts are server-owned (PostgREST-shaped SQL as authenticated)', () => {
  it('should refuse a storage path a writer sets, inside their folder or through it', async () => {
    const { id } = await repDocument()
    for (const path of [...forgedPaths(), `org/${w.f.orgB}/customers/${w.f.customers.orgB}/d/secret.pdf`]) {
      for (const actor of ['rep', 'manager', 'owner'] as const) {
        expect(
          await w.write(actor, 'update public.documents set storage_path = $2 where id = $1 returning 1', [
            id,
            path,
          ]),
          `${actor} ${path}`,
        ).toEqual(noPrivilege('documents'))
      }
    }
  })

  it('should refuse every server-owned column a writer sets on insert', async () => {
    for (const [column, value] of [...serverOwned, ['storage_path', forgedPaths()[0] as string]]) {
      expect(
        await w.write(
          'rep',
          `insert into public.documents (org_id, customer_id, name, ${column}) values ($1, $2, 'x.pdf', $3) returning 1`,
          [w.f.orgA, w.f.customers.repOwned, value],
        ),
        column,
      ).toEqual(noPrivilege('documents'))
    }
  })

  it('should refuse a direct insert that claims a file: ready, sized, typed, at a path of its choosing', async () => {
    expect(
      await w.write(
        'rep',
        `insert into public.documents (org_id, customer_id, name, storage_path, status, size_bytes, content_type)
         values ($1, $2, 'x.pdf', $3, 'ready', 1234, 'application/pdf') returning 1`,
        [w.f.orgA, w.f.customers.repOwned, forgedPaths()[0]],
      ),
    ).toEqual(noPrivilege('documents'))
  })

  it('should refuse a writer marking a document ready or changing its file facts', async () => {
    // As a seed would (the superuser); the path it brings is replaced by the server's.
    const pending = await w.t.db.query<{ id: string }>(
      `insert into public.documents (org_id, customer_id, name, status, storage_path)
       values ($1, $2, 'pending.pdf', 'pending', $3) returning id`,
      [w.f.orgA, w.f.customers.repOwned, `org/${w.f.orgA}/customers/${w.f.customers.repOwned}/p/pending.pdf`],
    )
    const id = pending[0]?.id
    try {
      for (const [column, value] of serverOwned) {
        expect(
          await w.write('manager', `update public.documents set ${column} = $2 where id = $1 returning 1`, [
            id,
            value,
          ]),
          column,
        ).toEqual(noPrivilege('documents'))
      }
    } finally {
      await w.t.db.query('delete from public.documents where id = $1', [id])
    }
  })

  it('should give a document a writer inserts directly the server’s path, pending until its file is seen', async () => {
    const row = await w.as('rep', async (tx) => {
      const [inserted] = await tx.query<Record<string, unknown>>(
        `insert into public.documents (org_id, customer_id, name, category)
         values ($1, $2, 'Q3 report (final).pdf', 'report')
         returning id, storage_path, status, size_bytes::int, content_type, uploaded_at, uploaded_by`,
        [w.f.orgA, w.f.customers.repOwned],
      )
      return inserted
    })
    expect(row).toEqual({
      id: expect.any(String),
      storage_path: `org/${w.f.orgA}/customers/${w.f.customers.repOwned}/${row?.id}/Q3-report-final.pdf`,
      status: 'pending',
      size_bytes: 0,
      content_type: 'application/octet-stream',
      uploaded_at: null,
      uploaded_by: w.f.users.rep.id,
    })
  })

  it('should let writers rename and recategorize, and keep the file where it is', async () => {
    const { id, storage_path } = await repDocument()
    const renamed = await w.as('rep', (tx) =>
      tx.query<{ storage_path: string }>(
        `update public.documents set name = '../../etc/passwd', category = 'contract' where id = $1
         returning storage_path`,
        [id],
      ),
    )
    expect(renamed).toEqual([{ storage_path }])
  })

  it('should keep a document with its customer: moving it is refused, to writers and to the service role', async () => {
    const { id } = await repDocument()
    const move = (actor: Actor) =>
      w.write(actor, 'update public.documents set customer_id = $2 where id = $1 returning 1', [
        id,
        w.f.customers.rep2Owned,
      ])
    expect(await move('manager')).toEqual(noPrivilege('documents'))
    expect(await move('service_role')).toEqual(
      fails({
        code: '42501',
        message: "a document cannot move to another customer: its file lives in the customer's folder",
      }),
    )
    expect(
      await w.write(
        'service_role',
        'update public.documents set storage_path = $2 where id = $1 returning 1',
        [id, forgedPaths()[0]],
      ),
    ).toEqual(fails({ code: '42501', message: 'storage_path cannot be changed' }))
  })
})

describe('documents: the database builds every path', () => {
  it('should build the path for any inserter, whatever path it brings', async () => {
    const rows = await w.as('service_role', (tx) =>
      tx.query<{ id: string; storage_path: string }>(
        `insert into public.documents (org_id, customer_id, name, storage_path)
         values ($1, $2, 'Crème brûlée_v2.tar.gz', $3) returning id, storage_path`,
        [w.f.orgA, w.f.customers.repOwned, forgedPaths()[0]],
      ),
    )
    expect(rows).toEqual([
      {
        id: expect.any(String),
        storage_path: `org/${w.f.orgA}/customers/${w.f.customers.repOwned}/${rows[0]?.id}/Creme-brulee_v2.tar.gz`,
      },
    ])
  })

  it('should refuse a path of another shape even where triggers do not run (a seed, a restore)', async () => {
    const attempt = async (path: (id: string) => string): Promise<Outcome> => {
      try {
        return await w.asSuperuser(async (tx) => {
          await tx.query('set local session_replication_role = replica')
          const id = '7d2a0000-0000-4000-8000-000000000001'
          const rows = await tx.query(
            `insert into public.documents (id, org_id, customer_id, name, storage_path)
             values ($1, $2, $3, 'x.pdf', $4) returning 1`,
            [id, w.f.orgA, w.f.customers.repOwned, path(id)],
          )
          return affected(rows.length)
        })
      } catch (error) {
        return fails(dbErrorOf(error))
      }
    }
    const folder = `org/${w.f.orgA}/customers/${w.f.customers.repOwned}`
    const refused = fails({
      code: '23514',
      message:
        'new row for relation "documents" violates check constraint "documents_storage_path_server_built"',
    })
    expect(await attempt((id) => `${folder}/${id}/x.pdf`)).toEqual(affected(1))
    for (const path of [
      (id: string) => `${folder}/${id}/../x.pdf`,
      (id: string) => `${folder}/${id}/..`,
      (id: string) => `${folder}/${id}/.hidden`,
      (id: string) => `${folder}/${id}/a/b.pdf`,
      (id: string) => `${folder}/${id}/%2e%2e`,
      (id: string) => `${folder}/${id}/a\\b.pdf`,
      (id: string) => `${folder}/${id}/`,
      () => `${folder}/7d2a0000-0000-4000-8000-000000000002/x.pdf`,
      (id: string) => `org/${w.f.orgB}/customers/${w.f.customers.repOwned}/${id}/x.pdf`,
      (id: string) => `/${folder}/${id}/x.pdf`,
      (id: string) => `${folder}/${id}/${'a'.repeat(101)}`,
    ]) {
      expect(await attempt(path), path('<id>')).toEqual(refused)
    }
  })

  it('should sanitise file names as the API always has', async () => {
    const cases: [string, string][] = [
      ['Q3 report (final).pdf', 'Q3-report-final.pdf'],
      ['Crème brûlée_v2.tar.gz', 'Creme-brulee_v2.tar.gz'],
      ['../../etc/passwd', 'etc-passwd'],
      ['报告.pdf', 'file.pdf'],
      ['   ', 'file'],
      ['..', 'file'],
      ['.env', 'file.env'],
      ['a\\..\\b.pdf', 'a-..-b.pdf'],
      ['%2e%2e%2fx.pdf', '2e-2e-2fx.pdf'],
      ['\u00a0 Offer \u2003.PDF\u00a0', 'Offer.PDF'],
      ['ﬁle ①.txt', 'file-1.txt'],
      ['name.toolongextension', 'name.toolongextension'],
      [`${'a'.repeat(300)}.xlsx`, `${'a'.repeat(95)}.xlsx`],
      [`-${'b'.repeat(99)}.-.docx`, `${'b'.repeat(95)}.docx`],
    ]
    const rows = await w.t.db.query<{ name: string; safe: string }>(
      'select name, private.document_file_name(name) as safe from unnest($1::text[]) as name',
      [cases.map(([name]) => name)],
    )
    expect(rows.map((r) => [r.name, r.safe])).toEqual(cases)
  })
})

describe('documents: what callers without the right get', () => {
  it('should refuse anon and non-writers before any row is touched', async () => {
    const { id } = await repDocument()
    expect(
      await w.write('anon', 'update public.documents set name = $2 where id = $1 returning 1', [id, 'x']),
    ).toEqual(fails(permissionDenied('documents')))
    expect(
      await w.write('viewer', 'update public.documents set name = $2 where id = $1 returning 1', [id, 'x']),
    ).toEqual(affected(0))
  })
})
