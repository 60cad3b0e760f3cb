-- Why: the customers list filtered by phase (every pipeline column, the phase
-- filter of the table) could not use its index under RLS. Enum equality
-- (enum_eq) is not leakproof, and Postgres evaluates a condition that is not
-- leakproof only after the policy's, so never as an index condition: the list
-- walked the organization's customers newest first and filtered them. On the
-- 100k seed, a page of "won" (501 of 22,000 customers) read 13,000 rows, 9-34
-- ms a statement, more the rarer the phase.
--
-- phase_position is the phase's place in the enum, stored with the row; an
-- integer comparison is leakproof, so `phase_position = (select
-- private.customer_phase_position($n))` is an index condition of
-- customers_org_phase_position_updated_idx whatever the phase.
--
-- The position comes from the enum's order. A phase added at the end gets the
-- next number and changes nothing else; a phase inserted before another (ALTER
-- TYPE … ADD VALUE … BEFORE) moves the later ones, so such a migration must
-- also rewrite the column (`update public.customers set phase = phase`).

create function private.customer_phase_position(p_phase public.customer_phase) returns smallint
  language sql immutable parallel safe
  set search_path = ''
as $$
  select array_position(enum_range(null::public.customer_phase), p_phase)::smallint
$$;

grant execute on function private.customer_phase_position(public.customer_phase) to authenticated, service_role;

alter table public.customers
  add column phase_position smallint not null
    generated always as (private.customer_phase_position(phase)) stored;

create index customers_org_phase_position_updated_idx
  on public.customers (org_id, phase_position, updated_at, id);
