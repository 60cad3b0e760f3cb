-- Why: speed of every policy, same answers. The membership helpers that RLS
-- policies call were `language sql`. A security-definer SQL function is never
-- inlined, and Postgres parses and plans its body again at every call site of
-- every statement (the plan lives only as long as the calling query). A
-- customer read with its six child counts calls member_org_ids() eight
-- times, so those re-plans were most of its cost: measured with pgbench on
-- the 100k-customer seed (10 clients, the API's statement), 662 statements/s
-- with the SQL helpers against 1,348 with these, and 3,598 as the superuser.
-- PL/pgSQL keeps each body's plan for the life of the connection.
--
-- Bodies, signatures, volatility, security definer and the pinned search_path
-- are unchanged; `create or replace` keeps the grants.

create or replace function private.member_org_ids() returns setof uuid
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  return query select m.org_id from public.memberships m where m.user_id = (select auth.uid());
end
$$;

create or replace function private.org_ids_with_role(p_min_role public.membership_role) returns setof uuid
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  return query
    select m.org_id from public.memberships m
    where m.user_id = (select auth.uid()) and m.role >= p_min_role;
end
$$;

create or replace function private.is_org_member(p_org_id uuid) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  return exists (
    select from public.memberships m
    where m.org_id = p_org_id and m.user_id = (select auth.uid())
  );
end
$$;

create or replace function private.has_org_role(p_org_id uuid, p_min_role public.membership_role) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  return exists (
    select from public.memberships m
    where m.org_id = p_org_id and m.user_id = (select auth.uid()) and m.role >= p_min_role
  );
end
$$;

create or replace function private.can_write_customer(p_org_id uuid, p_owner_id uuid) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  return exists (
    select from public.memberships m
    where m.org_id = p_org_id
      and m.user_id = (select auth.uid())
      and (m.role >= 'manager' or (m.role = 'rep' and p_owner_id = m.user_id))
  );
end
$$;

create or replace function private.can_write_customer_id(p_customer_id uuid) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  return exists (
    select from public.customers c
    join public.memberships m on m.org_id = c.org_id
    where c.id = p_customer_id
      and m.user_id = (select auth.uid())
      and (m.role >= 'manager' or (m.role = 'rep' and c.owner_id = m.user_id))
  );
end
$$;
