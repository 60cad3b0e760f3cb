-- Why: a review found that a signed-in user could store 'infinity', '-infinity'
-- or a date before Christ straight through PostgREST in a task's due time, an
-- activity's time (copied into the timeline) or a customer's expected close
-- date. Postgres takes them, JavaScript cannot (an Invalid Date), so every
-- member's task list, timeline and activity list of that customer failed, and
-- an infinite close date silently fell out of every forecast month. These
-- times must now be finite and within a span any client can show: from 1900
-- to the end of 2999. Rows that already hold such a value are mended first
-- (a due time or close date nobody can meet becomes none; an activity's time
-- becomes when it was logged), so the checks hold for every row.

update public.tasks set due_at = null
where due_at is not null and not (isfinite(due_at) and due_at >= '1900-01-01' and due_at < '3000-01-01');
alter table public.tasks add constraint tasks_due_at_within_reason
  check (due_at is null or (isfinite(due_at) and due_at >= '1900-01-01' and due_at < '3000-01-01'));

update public.customers set expected_close_date = null
where expected_close_date is not null
  and not (isfinite(expected_close_date) and expected_close_date >= '1900-01-01' and expected_close_date < '3000-01-01');
alter table public.customers add constraint customers_expected_close_date_within_reason
  check (expected_close_date is null or (isfinite(expected_close_date)
    and expected_close_date >= '1900-01-01' and expected_close_date < '3000-01-01'));

update public.timeline_events e set occurred_at = a.created_at
from public.activities a
where e.type = 'activity_logged' and e.payload ->> 'activity_id' = a.id::text
  and not (isfinite(a.occurred_at) and a.occurred_at >= '1900-01-01');
update public.activities set occurred_at = created_at
where not (isfinite(occurred_at) and occurred_at >= '1900-01-01');
alter table public.activities add constraint activities_occurred_at_within_reason
  check (isfinite(occurred_at) and occurred_at >= '1900-01-01' and occurred_at < '3000-01-01');
