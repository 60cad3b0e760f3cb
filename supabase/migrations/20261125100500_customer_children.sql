-- Why: what a sales team keeps about each customer: its contacts, teams (finance
-- codes to bill against), processes, services (monthly hours) and documents
-- (metadata; the files live in Storage). They share one rule: readable by the
-- organization, writable by whoever may write the customer. Each references
-- (customer_id, org_id) so no child can sit in another tenant than its customer,
-- and org_id never changes.

create table public.contacts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  name text not null,
  email text,
  phone text,
  role text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint contacts_name_not_blank check (length(btrim(name)) between 1 and 200),
  constraint contacts_email_format check (email is null or email ~* '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
  constraint contacts_phone_format check (phone is null or phone ~ '^\+?[0-9 ()./-]{3,32}$'),
  constraint contacts_role_length check (role is null or length(role) <= 100),
  foreign key (customer_id, org_id) references public.customers (id, org_id) on delete cascade
);
create index contacts_customer_idx on public.contacts (customer_id, org_id, name);
create index contacts_org_idx on public.contacts (org_id);

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  name text not null,
  finance_code text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint teams_name_not_blank check (length(btrim(name)) between 1 and 200),
  constraint teams_finance_code_format check (finance_code ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$'),
  constraint teams_finance_code_unique_per_customer unique (customer_id, finance_code),
  foreign key (customer_id, org_id) references public.customers (id, org_id) on delete cascade
);
create index teams_customer_idx on public.teams (customer_id, org_id);
create index teams_org_idx on public.teams (org_id);

create table public.processes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  name text not null,
  status public.process_status not null default 'planned',
  phase public.customer_phase,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint processes_name_not_blank check (length(btrim(name)) between 1 and 200),
  foreign key (customer_id, org_id) references public.customers (id, org_id) on delete cascade
);
create index processes_customer_idx on public.processes (customer_id, org_id);
create index processes_org_status_idx on public.processes (org_id, status);

create table public.services (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  name text not null,
  monthly_hours numeric(8, 2) not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint services_name_not_blank check (length(btrim(name)) between 1 and 200),
  constraint services_monthly_hours_range check (monthly_hours >= 0 and monthly_hours <= 10000),
  foreign key (customer_id, org_id) references public.customers (id, org_id) on delete cascade
);
create index services_customer_idx on public.services (customer_id, org_id);
create index services_org_idx on public.services (org_id, name);

create table public.documents (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  name text not null,
  category public.document_category not null default 'other',
  storage_path text not null,
  size_bytes bigint not null default 0,
  content_type text not null default 'application/octet-stream',
  uploaded_by uuid references public.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint documents_name_not_blank check (length(btrim(name)) between 1 and 255),
  constraint documents_storage_path_key unique (storage_path),
  -- Storage layout org/<org_id>/customers/<customer_id>/<document_id>/<file name>: the
  -- tenant and customer lead, so storage policies can decide from the path alone.
  constraint documents_storage_path_in_customer_folder check (
    storage_path like 'org/' || org_id::text || '/customers/' || customer_id::text || '/%'
  ),
  constraint documents_size_range check (size_bytes >= 0),
  constraint documents_content_type_format check (content_type ~ '^[a-z]+/[A-Za-z0-9.+_-]+$'),
  foreign key (customer_id, org_id) references public.customers (id, org_id) on delete cascade
);
create index documents_customer_idx on public.documents (customer_id, org_id, created_at desc);
create index documents_org_idx on public.documents (org_id);
create index documents_uploaded_by_idx on public.documents (uploaded_by);

-- The same triggers and policies for each child table.
do $$
declare
  t text;
begin
  foreach t in array array['contacts', 'teams', 'processes', 'services', 'documents'] loop
    execute format('create trigger %1$s_set_updated_at before update on public.%1$I
                      for each row execute function private.set_updated_at()', t);
    execute format('create trigger %1$s_forbid_org_change before update on public.%1$I
                      for each row execute function private.forbid_org_change()', t);
    execute format('alter table public.%I enable row level security', t);
    execute format('create policy %I on public.%I for select to authenticated
                      using (org_id in (select private.member_org_ids()))',
                   initcap(t) || ' are visible to members of the organization', t);
    execute format('create policy %I on public.%I for insert to authenticated
                      with check (private.can_write_customer_id(customer_id))',
                   initcap(t) || ' are added by whoever may edit the customer', t);
    execute format('create policy %I on public.%I for update to authenticated
                      using (private.can_write_customer_id(customer_id))
                      with check (private.can_write_customer_id(customer_id))',
                   initcap(t) || ' are edited by whoever may edit the customer', t);
    execute format('create policy %I on public.%I for delete to authenticated
                      using (private.can_write_customer_id(customer_id))',
                   initcap(t) || ' are deleted by whoever may edit the customer', t);
  end loop;
end
$$;
