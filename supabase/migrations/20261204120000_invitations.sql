-- Why: issue 17, hole 2. A membership used to be a row any admin (or anyone,
-- through an organization of their own) could insert for any user id: a user
-- joined organizations without consent, and the insert told the inserter
-- whether that user existed. From now on a membership arises only from an
-- invitation its invitee accepts (see the next two migrations).
--
-- An invitation names an email, not a user: the invitee may not have an
-- account yet, and an admin learns nothing about who has one. It carries the
-- role it offers and an expiry, and ends once: accepted, declined (both by the
-- invitee), revoked (by an admin), or expired (recorded when a new invitation
-- to the same address replaces it). Everything but the org, the address and
-- the role is the database's: who invited, when, until when, and how it ended.

create type public.invitation_status as enum ('open', 'accepted', 'declined', 'revoked', 'expired');

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  -- Stored lower case (GoTrue lower-cases addresses too) and always compared with lower().
  email text not null,
  role public.membership_role not null default 'viewer',
  invited_by uuid references public.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '7 days',
  status public.invitation_status not null default 'open',
  ended_at timestamptz,
  ended_by uuid references public.users (id) on delete set null,
  constraint invitations_email_format check (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(email) <= 255),
  constraint invitations_end_stamped check ((status = 'open') = (ended_at is null)),
  constraint invitations_expire_after_creation check (expires_at > created_at)
);

-- The admins' list (newest first), and the foreign keys.
create index invitations_org_id_created_at_idx on public.invitations (org_id, created_at desc, id desc);
create index invitations_invited_by_idx on public.invitations (invited_by);
create index invitations_ended_by_idx on public.invitations (ended_by);
-- At most one open invitation per address and organization.
create unique index invitations_one_open_per_email on public.invitations (org_id, lower(email))
  where status = 'open';
-- The invitee's own open invitations (the select policy and the answers look them up by address).
create index invitations_open_invitee_idx on public.invitations (lower(email)) where status = 'open';

-- The caller's email address, only once Auth has verified it (a confirmed
-- address of a live account), lower case; null otherwise. Read from
-- auth.users, never from the token's claims or anything a client sends.
create function private.verified_email() returns text
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  return (
    select lower(u.email) from auth.users u
    where u.id = (select auth.uid()) and u.email_confirmed_at is not null and u.deleted_at is null
  );
end
$$;

grant execute on function private.verified_email() to authenticated, service_role;

-- Server-owned columns, for whoever writes (column grants keep `authenticated`
-- from naming them at all; this holds them for every role):
-- * on insert by a signed-in user: the inviter is the caller, the clock is the
--   database's, and an invitation starts open for seven days;
-- * the address is stored trimmed and lower case;
-- * after insert nothing changes but the status, once, from open; the end is
--   stamped with its time and, except for an expiry, who ended it. A signed-in
--   user's own update can only revoke: accepting and declining are the
--   invitee's, through private.accept_invitation / private.decline_invitation.
create function private.stamp_invitation() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.email := lower(btrim(new.email));
    if current_user = 'authenticated' then
      new.invited_by := (select auth.uid());
      new.created_at := now();
      new.expires_at := now() + interval '7 days';
      new.status := 'open';
      new.ended_at := null;
      new.ended_by := null;
    end if;
    return new;
  end if;

  if (new.id, new.org_id, new.email, new.role, new.invited_by, new.created_at, new.expires_at)
     is distinct from
     (old.id, old.org_id, old.email, old.role, old.invited_by, old.created_at, old.expires_at) then
    raise exception 'only the status of an invitation changes'
      using errcode = '42501', hint = 'Revoke it and invite again.';
  end if;
  if new.status is distinct from old.status then
    if old.status <> 'open' then
      raise exception 'invitation was already %', old.status using errcode = '55000';
    end if;
    if current_user = 'authenticated' and new.status <> 'revoked' then
      raise exception 'an invitation is accepted or declined by its invitee'
        using errcode = '42501';
    end if;
    new.ended_at := case when new.status = 'expired' then least(old.expires_at, now()) else now() end;
    new.ended_by := case when new.status = 'expired' then null else (select auth.uid()) end;
  elsif (new.ended_at, new.ended_by) is distinct from (old.ended_at, old.ended_by) then
    raise exception 'only the status of an invitation changes'
      using errcode = '42501', hint = 'Its end is stamped when its status changes.';
  end if;
  return new;
end
$$;

create trigger invitations_stamp before insert or update on public.invitations
  for each row execute function private.stamp_invitation();

-- Inviting an address again after its invitation expired replaces that one
-- (recorded as expired), so "one open invitation per address" never blocks a
-- fresh invitation behind a dead one. Security definer: the inviter could
-- not otherwise end an invitation that their own policy does not let them revoke.
create function private.expire_replaced_invitation() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  update public.invitations i set status = 'expired'
  where i.org_id = new.org_id and lower(i.email) = lower(btrim(new.email))
    and i.status = 'open' and i.expires_at <= now();
  return new;
end
$$;

create trigger invitations_expire_replaced before insert on public.invitations
  for each row execute function private.expire_replaced_invitation();

alter table public.invitations enable row level security;

-- Admins and owners see their organization's invitations, all of them; an
-- invitee sees only their own open ones, matched on their verified address.
create policy "Invitations are visible to the organization's admins and to their invitee while open"
  on public.invitations for select to authenticated
  using (
    org_id in (select private.org_ids_with_role('admin'))
    or (status = 'open' and lower(email) = (select private.verified_email()))
  );

-- owner > admin > manager > rep > viewer: an admin offers at most admin, an owner any role.
create policy "Admins invite, never to a role above their own"
  on public.invitations for insert to authenticated
  with check (
    org_id in (select private.org_ids_with_role('admin'))
    and role <= private.org_role(org_id)
    and invited_by = (select auth.uid())
  );

-- As with members: only owners touch what concerns owners.
create policy "Open invitations are revoked by admins, owner invitations by owners"
  on public.invitations for update to authenticated
  using (
    status = 'open'
    and org_id in (select private.org_ids_with_role('admin'))
    and (role <> 'owner' or org_id in (select private.org_ids_with_role('owner')))
  )
  with check (
    status = 'revoked'
    and org_id in (select private.org_ids_with_role('admin'))
    and (role <> 'owner' or org_id in (select private.org_ids_with_role('owner')))
  );

-- Exactly what the policies need: read, offer (org, address, role), revoke.
-- Invitations are history: nobody deletes one (the organization's deletion does).
revoke all on public.invitations from anon, authenticated;
grant select on public.invitations to authenticated;
grant insert (org_id, email, role) on public.invitations to authenticated;
grant update (status) on public.invitations to authenticated;
