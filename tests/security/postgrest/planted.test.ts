import { beforeAll, describe, expect, it } from 'vitest'
import { forgeAs } from './attacks/columns.ts'
import { pointAs } from './attacks/foreign-keys.ts'
import { callAs } from './attacks/functions.ts'
import { readAs } from './attacks/reads.ts'
import { writeAs } from './attacks/writes.ts'
import { type CallableFunction, callableFunctions } from './support/catalogue.ts'
import { useSuite } from './support/context.ts'

/**
 * Each attack proves it can fail: on a database with one hole of each kind
 * planted, under names no list mentions, each must report its hole. A new
 * policy, column, key or function is attacked without anyone listing it.
 */
const s = useSuite('planted holes', {
  plant: `
    create policy "Planted: every contact for everyone" on public.contacts
      for select to authenticated using (true);
    create policy "Planted: every team open to everyone" on public.teams
      for all to authenticated using (true) with check (true);
    alter table public.customers add column zz_planted_score integer not null default 0;
    alter table public.contacts add column zz_planted_ref uuid references public.customers (id);
    create index on public.contacts (zz_planted_ref);
    create function public.zz_planted_names(p_org_id uuid) returns setof text
      language sql stable security definer set search_path = ''
      as $$ select name from public.customers where org_id = p_org_id $$;
    grant execute on function public.zz_planted_names(uuid) to authenticated;
  `,
})
let functions: CallableFunction[] = []
beforeAll(async () => {
  functions = await callableFunctions(s.w.db)
})

const mentioning = (text: string) => expect.arrayContaining([expect.stringContaining(text)])

describe('holes planted on purpose', () => {
  it('should be found by the reads: another tenant’s contacts under a policy open to all', async () => {
    expect((await readAs(s, 'outsider')).crossings).toEqual(mentioning('public.contacts'))
  })

  it('should be found by the writes: another tenant’s teams under a policy open to all', async () => {
    expect((await writeAs(s, 'outsider')).crossings).toEqual(mentioning('update public.teams'))
  })

  it('should be found by the columns: a new column nobody declared as the client’s', async () => {
    expect((await forgeAs(s, 'rep')).crossings).toEqual(mentioning('zz_planted_score'))
  })

  it('should be found by the foreign keys: a new reference that may point into another tenant', async () => {
    expect((await pointAs(s, 'rep')).crossings).toEqual(mentioning('zz_planted_ref'))
  })

  it('should be found by the functions: a security definer function that answers for any organization', async () => {
    expect((await callAs(s, 'outsider', functions)).crossings).toEqual(mentioning('zz_planted_names'))
  })
})
