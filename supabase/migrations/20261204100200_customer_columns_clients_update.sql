-- Why: issue 17, hole 4, on update. A signed-in user held UPDATE on every
-- column of customers and of their children (contacts, teams, processes,
-- services), so besides what they describe they could move a child to another
-- customer of the organization (the customer its timeline, counts and
-- broadcasts speak for) and send ids, org_id and stamps that triggers had to
-- undo or refuse one by one. The API changes only what a row describes; every
-- other table already grants update on named columns. Now these do too: a
-- child stays under the customer it was added to, for signed-in users (the
-- webhook receiver, as the service role, still moves a CRM contact to its new
-- company). The triggers stay for the roles that keep table-wide UPDATE: ids
-- and org_id never change, created_at is kept, updated_at is the database's.

revoke update on public.customers, public.contacts, public.teams, public.processes, public.services
  from authenticated;
grant update (name, phase, owner_id) on public.customers to authenticated;
grant update (name, email, phone, role) on public.contacts to authenticated;
grant update (name, finance_code) on public.teams to authenticated;
grant update (name, status, phase) on public.processes to authenticated;
grant update (name, monthly_hours) on public.services to authenticated;
