-- Why: issue 17, hole 2. Until now any admin could insert a membership for
-- any user id, and anyone could do the same in an organization of their own
-- making (creating one is open to every signed-in user): people were added to
-- organizations without consent, and the answer told whether a user id
-- existed. Now a signed-in user cannot insert a membership at all, by any
-- route (no privilege, no policy). Memberships arise only from
-- private.accept_invitation (the invitee's own act) and from
-- private.add_creator_as_owner (whoever creates an organization owns it).
-- The service role, jobs and seeds keep writing them as before.
--
-- Changing a role and removing a member stay as they were: never above your
-- own role (an admin's update is checked against admin, and only owners make
-- or unmake owners), the last owner stays (memberships_keep_last_owner), and
-- anyone may leave.

drop policy "Members are added by admins" on public.memberships;
revoke insert on public.memberships from authenticated;
