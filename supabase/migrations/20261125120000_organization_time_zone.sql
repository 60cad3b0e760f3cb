-- Why: an organization's day starts and ends at its own midnight. The nightly
-- aggregates (daily_metrics) count "a day" in this zone, so an event at 23:30
-- in New York belongs to that New York day, not to the next UTC one. A name
-- Postgres does not know would make every later `at time zone` fail, so it is
-- refused on write (a check cannot hold a subquery: a helper looks it up).
-- Admins set it, as they rename the organization.

create function private.is_time_zone(p_name text) returns boolean
  language sql stable
  set search_path = ''
as $$
  select exists (select from pg_catalog.pg_timezone_names where name = p_name)
$$;

grant execute on function private.is_time_zone(text) to authenticated, service_role;

alter table public.organizations
  add column time_zone text not null default 'UTC',
  add constraint organizations_time_zone_known check (private.is_time_zone(time_zone));

grant update (time_zone) on public.organizations to authenticated;
