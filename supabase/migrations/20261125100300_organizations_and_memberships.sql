-- Why: tenancy. An organization is a tenant; a membership gives one user one
-- role in it. Every other business table carries org_id and is guarded through
-- the helpers defined here (security definer so policies can read memberships
-- without recursing into memberships' own policies; search_path pinned).

create table public.organizations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  created_by uuid references public.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organizations_name_not_blank check (length(btrim(name)) between 1 and 200)
);
create index organizations_created_by_idx on public.organizations (created_by);

create table public.memberships (
  org_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null references public.users (id) on delete cascade,
  role public.membership_role not null default 'viewer',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (org_id, user_id)
);
create index memberships_user_id_idx on public.memberships (user_id, org_id, role);

create trigger organizations_set_updated_at before update on public.organizations
  for each row execute function private.set_updated_at();
create trigger memberships_set_updated_at before update on public.memberships
  for each row execute function private.set_updated_at();

-- The caller's role in an organization, or null when not a member.
create function private.org_role(p_org_id uuid) returns public.membership_role
  language sql stable
  security definer
  set search_path = ''
as $$
  select m.role from public.memberships m
  where m.org_id = p_org_id and m.user_id = (select auth.uid())
$$;

create function private.is_org_member(p_org_id uuid) returns boolean
  language sql stable
  security definer
  set search_path = ''
as $$
  select exists (
    select from public.memberships m
    where m.org_id = p_org_id and m.user_id = (select auth.uid())
  )
$$;

create function private.has_org_role(p_org_id uuid, p_min_role public.membership_role) returns boolean
  language sql stable
  security definer
  set search_path = ''
as $$
  select exists (
    select from public.memberships m
    where m.org_id = p_org_id and m.user_id = (select auth.uid()) and m.role >= p_min_role
  )
$$;

-- Set-returning forms for policies on lists: `org_id in (select private.member_org_ids())`
-- is evaluated once per statement (an InitPlan), not once per row.
create function private.member_org_ids() returns setof uuid
  language sql stable
  security definer
  set search_path = ''
as $$
  select m.org_id from public.memberships m where m.user_id = (select auth.uid())
$$;

create function private.org_ids_with_role(p_min_role public.membership_role) returns setof uuid
  language sql stable
  security definer
  set search_path = ''
as $$
  select m.org_id from public.memberships m
  where m.user_id = (select auth.uid()) and m.role >= p_min_role
$$;

-- Colleagues see each other's profiles; nobody sees strangers.
create function private.shares_org_with(p_user_id uuid) returns boolean
  language sql stable
  security definer
  set search_path = ''
as $$
  select exists (
    select from public.memberships mine
    join public.memberships theirs on theirs.org_id = mine.org_id
    where mine.user_id = (select auth.uid()) and theirs.user_id = p_user_id
  )
$$;

-- An organization nobody belongs to yet: the moment between its insert and the
-- trigger below adding its creator as owner (see the select policy).
create function private.is_memberless_org(p_org_id uuid) returns boolean
  language sql stable
  security definer
  set search_path = ''
as $$
  select not exists (select from public.memberships m where m.org_id = p_org_id)
$$;

grant execute on function private.org_role(uuid), private.is_org_member(uuid),
  private.has_org_role(uuid, public.membership_role), private.shares_org_with(uuid),
  private.member_org_ids(), private.org_ids_with_role(public.membership_role),
  private.is_memberless_org(uuid)
  to authenticated, service_role;

-- Whoever creates an organization owns it; otherwise nobody could ever manage it.
create function private.add_creator_as_owner() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  if new.created_by is not null then
    insert into public.memberships (org_id, user_id, role) values (new.id, new.created_by, 'owner')
    on conflict (org_id, user_id) do update set role = 'owner';
  end if;
  return new;
end
$$;

create trigger organizations_add_creator_as_owner after insert on public.organizations
  for each row execute function private.add_creator_as_owner();

-- An organization always keeps an owner: the last one can be neither demoted nor removed
-- (deleting the organization itself cascades and is allowed).
create function private.keep_last_owner() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if old.role = 'owner'
     and (tg_op = 'DELETE' or new.role <> 'owner')
     and exists (select from public.organizations o where o.id = old.org_id)
     and not exists (
       select from public.memberships m
       where m.org_id = old.org_id and m.role = 'owner' and m.user_id <> old.user_id
     ) then
    raise exception 'an organization must keep at least one owner'
      using errcode = '23514', constraint = 'memberships_last_owner';
  end if;
  return coalesce(new, old);
end
$$;

create trigger memberships_keep_last_owner before update or delete on public.memberships
  for each row execute function private.keep_last_owner();

create trigger memberships_forbid_org_change before update on public.memberships
  for each row execute function private.forbid_org_change();

alter table public.organizations enable row level security;
alter table public.memberships enable row level security;

-- `insert … returning` checks the new row against this policy before the after
-- trigger has made its creator a member: the creator also sees an organization
-- that has no members yet, and only that one (once they leave, it is gone).
create policy "Organizations are visible to their members"
  on public.organizations for select to authenticated
  using (
    id in (select private.member_org_ids())
    or (created_by = (select auth.uid()) and private.is_memberless_org(id))
  );

create policy "Signed-in users create organizations they own"
  on public.organizations for insert to authenticated
  with check (created_by = (select auth.uid()));

create policy "Organizations are renamed by their admins"
  on public.organizations for update to authenticated
  using (id in (select private.org_ids_with_role('admin')))
  with check (id in (select private.org_ids_with_role('admin')));

create policy "Organizations are deleted by their owners"
  on public.organizations for delete to authenticated
  using (id in (select private.org_ids_with_role('owner')));

-- Renaming is all an admin does to an organization: its id and creator are history.
revoke update on public.organizations from authenticated;
grant update (name) on public.organizations to authenticated;

create policy "Memberships are visible to members of the same organization"
  on public.memberships for select to authenticated
  using (org_id in (select private.member_org_ids()));

-- Admins manage members; only owners make or unmake owners.
create policy "Members are added by admins"
  on public.memberships for insert to authenticated
  with check (
    org_id in (select private.org_ids_with_role('admin'))
    and (role <> 'owner' or org_id in (select private.org_ids_with_role('owner')))
  );

create policy "Member roles are changed by admins"
  on public.memberships for update to authenticated
  using (
    org_id in (select private.org_ids_with_role('admin'))
    and (role <> 'owner' or org_id in (select private.org_ids_with_role('owner')))
  )
  with check (
    org_id in (select private.org_ids_with_role('admin'))
    and (role <> 'owner' or org_id in (select private.org_ids_with_role('owner')))
  );

create policy "Members are removed by admins, or leave by themselves"
  on public.memberships for delete to authenticated
  using (
    user_id = (select auth.uid())
    or (org_id in (select private.org_ids_with_role('admin'))
        and (role <> 'owner' or org_id in (select private.org_ids_with_role('owner'))))
  );

-- A membership's role is all that changes: handing it to another user is removing
-- one member and adding another, each checked by its own policy.
revoke update on public.memberships from authenticated;
grant update (role) on public.memberships to authenticated;

-- Profiles: your own, and those of people you work with. Only you edit yours,
-- and only its presentation (id and email belong to Auth).
create policy "Profiles are visible to themselves and to colleagues"
  on public.users for select to authenticated
  using (id = (select auth.uid()) or private.shares_org_with(id));

create policy "Profiles are edited by their own user"
  on public.users for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

revoke update on public.users from authenticated;
grant update (username, display_name) on public.users to authenticated;
