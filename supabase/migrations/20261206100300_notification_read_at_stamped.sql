-- Why: when a notification was read is the database's clock, not the reader's
-- say (a review found any time could be stored straight through PostgREST).
-- As tasks' done_at: marking one read stamps now(), marking it read again
-- keeps the first time, and marking it unread clears it.

create function private.stamp_notification_read_at() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if current_user = 'authenticated' and new.read_at is not null then
    new.read_at := coalesce(old.read_at, now());
  end if;
  return new;
end
$$;

create trigger notifications_stamp_read_at before update of read_at on public.notifications
  for each row execute function private.stamp_notification_read_at();
