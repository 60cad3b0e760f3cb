-- Why: issue 19. A board shows each card's value, close date, next step and
-- days in phase live, so the columns members may read travel in the realtime
-- payloads: a customer's deal_value, expected_close_date, next_step and
-- phase_entered_at, a service's hourly_rate. (Tasks and activities publish on
-- the organization's topic from their own migrations; notifications are their
-- recipient's alone and are not broadcast on it.)

drop trigger customers_broadcast on public.customers;
create trigger customers_broadcast after insert or update or delete on public.customers
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'name', 'phase', 'owner_id', 'created_at', 'deal_value', 'expected_close_date',
    'next_step', 'phase_entered_at');

drop trigger services_broadcast on public.services;
create trigger services_broadcast after insert or update or delete on public.services
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'name', 'monthly_hours', 'hourly_rate', 'created_at');
