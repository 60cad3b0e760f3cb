-- Why: searching customers by name scanned the whole organization. Under RLS a
-- condition that is not leakproof (`ilike` is not) may only be evaluated after
-- the policy's, so Postgres cannot use customers_name_trgm_idx for it: on the
-- 100k-customer seed every search read all 33,000 customers of the
-- organization (a seq scan, ~90 ms a statement) instead of the ~160 matches.
--
-- This function finds the ids with the trigram index, as its owner, for one
-- organization the caller belongs to and no other (none at all otherwise), so
-- it reveals nothing a member could not read: ids of their own organization's
-- customers. The API's list keeps reading the rows themselves under RLS
-- (`c.id in (select private.customer_ids_matching($1, $pattern))`).
-- `rows 20`: a search matches a handful of customers, and with Postgres's
-- default guess for a set-returning function (1,000) the planner hashed every
-- customer of the organization to join them instead of fetching the matches
-- by primary key (61 ms against 5 ms a statement on the 100k seed).
create function private.customer_ids_matching(p_org_id uuid, p_pattern text) returns setof uuid
  language plpgsql stable
  rows 20
  security definer
  set search_path = ''
as $$
begin
  if not private.is_org_member(p_org_id) then
    return;
  end if;
  return query
    select c.id from public.customers c where c.org_id = p_org_id and c.name ilike p_pattern;
end
$$;

grant execute on function private.customer_ids_matching(uuid, text) to authenticated, service_role;
