-- Why: issue 19. What a service and a customer are worth, defined once, in the
-- database, so every figure, the API and the tests read the same definition:
--
-- * a service's effective hourly rate is its own, else its organization's
--   default; its monthly value is monthly_hours × that rate, to the cent;
-- * a customer's monthly recurring value (MRR) is the sum of its services'
--   monthly values (0 without services);
-- * a customer's value is its one-off deal value plus twelve months of its
--   recurring value (first-year value: what winning it brings in a year);
-- * its probability is its phase's: the organization's setting for an open
--   phase, 100 for a won one, 0 for lost and churned; its weighted value is
--   value × probability / 100, to the cent;
-- * days in phase are whole days since phase_entered_at; it is stuck when
--   that exceeds its phase's threshold.
--
-- Views with security_invoker: they show exactly the rows the reader's own
-- policies show (the customer's organization must be theirs), nothing more.
-- Read-only for clients (select only).

create view public.service_values with (security_invoker = on) as
select
  s.id,
  s.org_id,
  s.customer_id,
  s.monthly_hours,
  coalesce(s.hourly_rate, o.default_hourly_rate) as effective_hourly_rate,
  round(s.monthly_hours * coalesce(s.hourly_rate, o.default_hourly_rate), 2) as monthly_value
from public.services s
join public.organizations o on o.id = s.org_id;

create view public.customer_values with (security_invoker = on) as
select
  c.id,
  c.org_id,
  c.phase,
  private.phase_outcome(c.phase) as outcome,
  coalesce(r.monthly_recurring_value, 0) as monthly_recurring_value,
  c.deal_value,
  coalesce(c.deal_value, 0) + 12 * coalesce(r.monthly_recurring_value, 0) as value,
  p.probability,
  round((coalesce(c.deal_value, 0) + 12 * coalesce(r.monthly_recurring_value, 0)) * p.probability / 100, 2)
    as weighted_value,
  c.expected_close_date,
  c.phase_entered_at,
  floor(extract(epoch from (now() - c.phase_entered_at)) / 86400)::integer as days_in_phase,
  coalesce(floor(extract(epoch from (now() - c.phase_entered_at)) / 86400) > ps.stuck_after_days, false)
    as is_stuck
from public.customers c
left join lateral (
  select sum(round(s.monthly_hours * coalesce(s.hourly_rate, o.default_hourly_rate), 2)) as monthly_recurring_value
  from public.services s
  join public.organizations o on o.id = s.org_id
  where s.customer_id = c.id and s.org_id = c.org_id
) r on true
left join public.phase_settings ps on ps.org_id = c.org_id and ps.phase = c.phase
cross join lateral (
  select case private.phase_outcome(c.phase)
    when 'open' then coalesce(ps.probability, 0)
    when 'won' then 100
    else 0
  end::smallint as probability
) p;

revoke all on public.service_values, public.customer_values from public, anon, authenticated, service_role;
grant select on public.service_values, public.customer_values to authenticated, service_role;
