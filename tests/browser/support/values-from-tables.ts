/**
 * Each customer's value worked out from the base tables by its definition
 * (docs/metrics.md): the deal plus twelve months of its services, each
 * service's monthly hours at its own rate or else the organization's default,
 * rounded to cents per service. It reads no view the API reads
 * (public.customer_values), so a wrong formula there cannot agree with it.
 * A subquery with columns `id`, `phase` and `value`; `$1` is the organization.
 */
export const customerValuesFromTables = `
  select c.id, c.phase, coalesce(c.deal_value, 0) + 12 * coalesce(s.mrr, 0) as value
  from public.customers c
  left join (select s.customer_id,
                    sum(round(s.monthly_hours * coalesce(s.hourly_rate, o.default_hourly_rate), 2)) as mrr
             from public.services s join public.organizations o on o.id = s.org_id
             where s.org_id = $1
             group by s.customer_id) s on s.customer_id = c.id
  where c.org_id = $1`
