-- CRM deals get their own sync state, as companies and contacts have: a deal's
-- amount, close date and company arrive in separate events (HubSpot sends the
-- company link as a deal.associationChange, never with the amount), so the
-- pipeline keeps what it has heard of each deal and gives the deal's money to
-- the customer its company became (functions/webhooks/apply-deal.ts).
alter table public.integration_objects drop constraint integration_objects_kind_known;
alter table public.integration_objects
  add constraint integration_objects_kind_known check (kind in ('customer', 'contact', 'deal'));

-- When the deal a customer carries is deleted or leaves its company, the
-- company's other deals are looked up to carry the next one.
create index integration_objects_deals_by_company_idx on public.integration_objects
  (integration_id, (properties ->> 'customer')) where kind = 'deal' and deleted_at is null;
