-- Why: customers are the heart of the product. Reps own customers; managers and
-- up write every customer of their organization; viewers only read. The owner
-- must be a member of the same organization (composite foreign key into
-- memberships), and when a member leaves, their customers become unassigned
-- rather than pointing at a stranger.

create table public.customers (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  name text not null,
  phase public.customer_phase not null default 'lead',
  owner_id uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customers_name_not_blank check (length(btrim(name)) between 1 and 200),
  -- Children reference (id, org_id) so none can sit in another tenant than its customer.
  constraint customers_id_org_id_key unique (id, org_id),
  constraint customers_owner_is_member foreign key (org_id, owner_id)
    references public.memberships (org_id, user_id) on delete set null (owner_id)
);

-- The dashboard's list queries: by phase, by recency, by name, by owner. Keyset
-- pagination orders by (column, id) in one direction, which a btree scans either
-- way, so the indexes need no `desc`.
create index customers_org_phase_updated_idx on public.customers (org_id, phase, updated_at, id);
create index customers_org_updated_idx on public.customers (org_id, updated_at, id);
create index customers_org_created_idx on public.customers (org_id, created_at, id);
create index customers_org_name_idx on public.customers (org_id, name, id);
create index customers_org_owner_idx on public.customers (org_id, owner_id, updated_at, id);
create index customers_owner_idx on public.customers (owner_id);
create index customers_name_trgm_idx on public.customers using gin (name extensions.gin_trgm_ops);

create trigger customers_set_updated_at before update on public.customers
  for each row execute function private.set_updated_at();
create trigger customers_forbid_org_change before update on public.customers
  for each row execute function private.forbid_org_change();

-- Whether the caller may write a customer with this org and owner.
create function private.can_write_customer(p_org_id uuid, p_owner_id uuid) returns boolean
  language sql stable
  security definer
  set search_path = ''
as $$
  select exists (
    select from public.memberships m
    where m.org_id = p_org_id
      and m.user_id = (select auth.uid())
      and (m.role >= 'manager' or (m.role = 'rep' and p_owner_id = m.user_id))
  )
$$;

-- The same question for a child row, which knows only its customer.
create function private.can_write_customer_id(p_customer_id uuid) returns boolean
  language sql stable
  security definer
  set search_path = ''
as $$
  select exists (
    select from public.customers c
    join public.memberships m on m.org_id = c.org_id
    where c.id = p_customer_id
      and m.user_id = (select auth.uid())
      and (m.role >= 'manager' or (m.role = 'rep' and c.owner_id = m.user_id))
  )
$$;

grant execute on function private.can_write_customer(uuid, uuid), private.can_write_customer_id(uuid)
  to authenticated, service_role;

-- A rep may keep or take nothing but their own customers: handing one to a colleague
-- (or unassigning it) is a manager's decision. RLS's with-check already stops a rep
-- from writing a row owned by someone else; this names the rule in the error.
-- One unassignment is nobody's decision: when the owner leaves the organization (a
-- rep may leave by themselves), the foreign key sets owner_id null, and that must
-- not stop them leaving. Security definer so that check sees every membership.
create function private.guard_customer_owner_change() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  if new.owner_id is distinct from old.owner_id
     and (select auth.uid()) is not null
     and not private.has_org_role(new.org_id, 'manager')
     and not (new.owner_id is null and not exists (
       select from public.memberships m where m.org_id = old.org_id and m.user_id = old.owner_id
     )) then
    raise exception 'only a manager can reassign a customer'
      using errcode = '42501';
  end if;
  return new;
end
$$;

create trigger customers_guard_owner_change before update of owner_id on public.customers
  for each row execute function private.guard_customer_owner_change();

alter table public.customers enable row level security;

create policy "Customers are visible to members of their organization"
  on public.customers for select to authenticated
  using (org_id in (select private.member_org_ids()));

create policy "Customers are created by reps for themselves, by managers for anyone"
  on public.customers for insert to authenticated
  with check (private.can_write_customer(org_id, owner_id));

create policy "Customers are edited by their owner or a manager"
  on public.customers for update to authenticated
  using (private.can_write_customer(org_id, owner_id))
  with check (private.can_write_customer(org_id, owner_id));

create policy "Customers are deleted by their owner or a manager"
  on public.customers for delete to authenticated
  using (private.can_write_customer(org_id, owner_id));

-- External CRMs know a customer by their own id; one id per CRM per organization.
create table public.customer_external_ids (
  org_id uuid not null,
  customer_id uuid not null,
  provider text not null,
  external_id text not null,
  created_at timestamptz not null default now(),
  primary key (org_id, provider, external_id),
  constraint customer_external_ids_one_per_provider unique (customer_id, provider),
  constraint customer_external_ids_provider_format check (provider ~ '^[a-z][a-z0-9_]{1,31}$'),
  constraint customer_external_ids_external_id_not_blank check (length(btrim(external_id)) between 1 and 200),
  foreign key (customer_id, org_id) references public.customers (id, org_id) on delete cascade
);
create index customer_external_ids_customer_idx on public.customer_external_ids (customer_id, org_id);

create trigger customer_external_ids_forbid_org_change before update on public.customer_external_ids
  for each row execute function private.forbid_org_change();

alter table public.customer_external_ids enable row level security;

create policy "External ids are visible to members of the organization"
  on public.customer_external_ids for select to authenticated
  using (org_id in (select private.member_org_ids()));

create policy "External ids are linked by whoever may edit the customer"
  on public.customer_external_ids for insert to authenticated
  with check (private.can_write_customer_id(customer_id));

create policy "External ids are unlinked by whoever may edit the customer"
  on public.customer_external_ids for delete to authenticated
  using (private.can_write_customer_id(customer_id));
