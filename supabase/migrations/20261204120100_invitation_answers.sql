-- Why: issue 17, hole 2. The invitee answers an invitation, and accepting it is
-- the only way a signed-in user becomes a member of an organization (besides
-- creating one). The invitee is whoever holds the invitation's address as
-- their VERIFIED email in auth.users (private.verified_email()): never a
-- claim in the token, never a value the client sends.
--
-- These run as their owner (security definer) because the invitee is not a
-- member yet: no policy of memberships lets them in, and that is the point.
-- They live in `private`, which PostgREST does not expose: the API calls them
-- inside the caller's own transaction (as it calls private.set_integration_secret),
-- and anyone talking SQL as `authenticated` gets exactly the same checks, all
-- made here. anon may not call them (no grant; private is not anon's).
--
-- Errors are precise, so the API can say what happened:
--   P0002 'invitation not found'   no such invitation addressed to the caller's verified email
--   55000 with constraint          invitation_accepted, invitation_declined, invitation_revoked,
--                                  invitation_expired, invitation_inviter_lacks_rights

-- The row addressed to the caller, locked, or P0002; then the checks every answer needs.
create function private.invitation_for_answer(p_invitation_id uuid) returns public.invitations
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_email text := private.verified_email();
  v_invitation public.invitations;
begin
  select i.* into v_invitation from public.invitations i
  where i.id = p_invitation_id and v_email is not null and lower(i.email) = v_email
  for update;
  if not found then
    raise exception 'invitation not found' using errcode = 'P0002';
  end if;
  if v_invitation.status <> 'open' then
    raise exception 'invitation was already %', v_invitation.status
      using errcode = '55000', constraint = 'invitation_' || v_invitation.status::text;
  end if;
  if v_invitation.expires_at <= now() then
    raise exception 'invitation has expired'
      using errcode = '55000', constraint = 'invitation_expired';
  end if;
  return v_invitation;
end
$$;

-- Accepting makes the caller a member with the invitation's role, atomically
-- with ending the invitation. Someone who is a member already keeps the higher
-- of their role and the offered one (an invitation never demotes). The
-- inviter must still be able to make the offer (an admin, or an owner for an
-- owner invitation): a member removed or demoted since leaves behind nothing
-- that still works. An invitation written without an inviter (the service
-- role, a seed) is the platform's own and is honoured as it is.
create function private.accept_invitation(p_invitation_id uuid)
  returns table (org_id uuid, role public.membership_role, already_member boolean)
  language plpgsql
  security definer
  set search_path = ''
as $$
#variable_conflict use_column
declare
  v_user uuid := (select auth.uid());
  v_invitation public.invitations := private.invitation_for_answer(p_invitation_id);
  v_inviter_role public.membership_role;
  v_current public.membership_role;
begin
  if v_invitation.invited_by is not null then
    select m.role into v_inviter_role from public.memberships m
    where m.org_id = v_invitation.org_id and m.user_id = v_invitation.invited_by;
    if v_inviter_role is null or v_inviter_role < 'admin' or v_inviter_role < v_invitation.role then
      raise exception 'whoever invited you can no longer offer this role'
        using errcode = '55000', constraint = 'invitation_inviter_lacks_rights';
    end if;
  end if;

  select m.role into v_current from public.memberships m
  where m.org_id = v_invitation.org_id and m.user_id = v_user
  for update;
  if v_current is null then
    insert into public.memberships (org_id, user_id, role)
    values (v_invitation.org_id, v_user, v_invitation.role);
  elsif v_current < v_invitation.role then
    update public.memberships m set role = v_invitation.role
    where m.org_id = v_invitation.org_id and m.user_id = v_user;
  end if;

  update public.invitations i set status = 'accepted' where i.id = v_invitation.id;
  return query select v_invitation.org_id, greatest(v_current, v_invitation.role), v_current is not null;
end
$$;

create function private.decline_invitation(p_invitation_id uuid) returns void
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  v_invitation public.invitations := private.invitation_for_answer(p_invitation_id);
begin
  update public.invitations i set status = 'declined' where i.id = v_invitation.id;
end
$$;

-- The caller's open, unexpired invitations, with what an invitee needs to
-- decide: the organization's name and who invited them (neither of which
-- their own rights would show them before they are a member).
create function private.my_invitations()
  returns table (
    id uuid, org_id uuid, org_name text, role public.membership_role,
    invited_by_name text, created_at timestamptz, expires_at timestamptz
  )
  language plpgsql stable
  security definer
  set search_path = ''
as $$
declare
  v_email text := private.verified_email();
begin
  return query
    select i.id, i.org_id, o.name, i.role, u.display_name, i.created_at, i.expires_at
    from public.invitations i
    join public.organizations o on o.id = i.org_id
    left join public.users u on u.id = i.invited_by
    where v_email is not null and lower(i.email) = v_email
      and i.status = 'open' and i.expires_at > now()
    order by i.created_at desc, i.id desc;
end
$$;

grant execute on function private.accept_invitation(uuid), private.decline_invitation(uuid),
  private.my_invitations()
  to authenticated;
