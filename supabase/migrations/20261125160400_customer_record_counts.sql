-- Why: a customer's page shows how many contacts, teams, processes, services,
-- documents and timeline events it has. Counted with six subqueries under
-- RLS, each child table's policy called the membership helper again: eight
-- policy evaluations for one customer, the RLS share of that read 141 % on the
-- 100k seed (npm run bench, docs/performance.md).
--
-- This counts them as the function's owner after one membership check of the
-- customer's organization, and answers nothing at all to anyone else. It
-- reveals no more than RLS shows a member: every child's select policy is
-- membership of its organization, and the composite foreign keys
-- (customer_id, org_id) → customers (id, org_id) keep every child in its
-- customer's organization.
create function private.customer_record_counts(p_customer_id uuid)
  returns table (
    contacts integer, teams integer, processes integer, services integer, documents integer,
    timeline_events integer
  )
  language plpgsql stable
  rows 1
  security definer
  set search_path = ''
as $$
declare
  v_org_id uuid;
begin
  select c.org_id into v_org_id from public.customers c where c.id = p_customer_id;
  if v_org_id is null or not private.is_org_member(v_org_id) then
    return;
  end if;
  return query select
    (select count(*) from public.contacts x where x.customer_id = p_customer_id)::integer,
    (select count(*) from public.teams x where x.customer_id = p_customer_id)::integer,
    (select count(*) from public.processes x where x.customer_id = p_customer_id)::integer,
    (select count(*) from public.services x where x.customer_id = p_customer_id)::integer,
    (select count(*) from public.documents x where x.customer_id = p_customer_id)::integer,
    (select count(*) from public.timeline_events x where x.customer_id = p_customer_id)::integer;
end
$$;

grant execute on function private.customer_record_counts(uuid) to authenticated, service_role;
