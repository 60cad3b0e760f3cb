-- Why: an organization connects external CRMs (HubSpot, Pipedrive, any Standard
-- Webhooks sender), each with its own webhook URL and signing secret. Admins and
-- owners manage integrations. The secret is needed by the webhook receiver (the
-- service role) and by nobody else: it lives in a table of the unexposed
-- `private` schema, written only through a security definer function that checks
-- the caller is an admin of the integration's organization, and read only by the
-- service role. The API returns it once, when it is created.

create table public.integrations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  provider text not null,
  name text not null,
  enabled boolean not null default true,
  mapping jsonb not null default '{}',
  created_by uuid references public.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint integrations_provider_known check (provider in ('hubspot', 'pipedrive', 'standard_webhooks')),
  constraint integrations_name_not_blank check (length(btrim(name)) between 1 and 200),
  constraint integrations_mapping_object check (jsonb_typeof(mapping) = 'object'),
  -- Events and sync state reference (id, org_id) so none can sit in another tenant.
  constraint integrations_id_org_id_key unique (id, org_id)
);
create index integrations_org_idx on public.integrations (org_id, created_at, id);
create index integrations_created_by_idx on public.integrations (created_by);

create trigger integrations_set_updated_at before update on public.integrations
  for each row execute function private.set_updated_at();
create trigger integrations_forbid_org_change before update on public.integrations
  for each row execute function private.forbid_org_change();
create trigger integrations_stamp_created_at before insert or update on public.integrations
  for each row execute function private.stamp_created_at();

alter table public.integrations enable row level security;

create policy "Integrations are visible to admins of their organization"
  on public.integrations for select to authenticated
  using (org_id in (select private.org_ids_with_role('admin')));

create policy "Integrations are added by admins"
  on public.integrations for insert to authenticated
  with check (org_id in (select private.org_ids_with_role('admin')));

create policy "Integrations are changed by admins"
  on public.integrations for update to authenticated
  using (org_id in (select private.org_ids_with_role('admin')))
  with check (org_id in (select private.org_ids_with_role('admin')));

create policy "Integrations are removed by admins"
  on public.integrations for delete to authenticated
  using (org_id in (select private.org_ids_with_role('admin')));

-- Name, switch and mapping are what an admin changes; the provider is what the URL means.
revoke update on public.integrations from authenticated;
grant update (name, enabled, mapping) on public.integrations to authenticated;

-- The signing secrets (or Pipedrive's Basic credentials), newest first: during a
-- rotation the previous one still verifies until it is dropped.
create table private.integration_secrets (
  integration_id uuid primary key references public.integrations (id) on delete cascade,
  secrets jsonb not null,
  updated_at timestamptz not null default now(),
  constraint integration_secrets_array check (
    jsonb_typeof(secrets) = 'array' and jsonb_array_length(secrets) between 1 and 2
  )
);
alter table private.integration_secrets enable row level security;
revoke all on private.integration_secrets from public, anon, authenticated;
grant select, insert, update, delete on private.integration_secrets to service_role;

-- Sets an integration's secret for the admin creating or rotating it; with
-- p_keep_previous the old one keeps verifying (rotation).
create function private.set_integration_secret(p_integration_id uuid, p_secret text, p_keep_previous boolean)
  returns void
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  if not exists (
    select from public.integrations i
    where i.id = p_integration_id and private.has_org_role(i.org_id, 'admin')
  ) and coalesce(current_setting('role', true), '') <> 'service_role' then
    raise exception 'only an admin can set an integration''s secret' using errcode = '42501';
  end if;
  insert into private.integration_secrets as s (integration_id, secrets)
  values (p_integration_id, jsonb_build_array(p_secret))
  on conflict (integration_id) do update
    set secrets = case
          when p_keep_previous then jsonb_build_array(p_secret, s.secrets -> 0)
          else jsonb_build_array(p_secret)
        end,
        updated_at = now();
end
$$;

grant execute on function private.set_integration_secret(uuid, text, boolean) to authenticated, service_role;
