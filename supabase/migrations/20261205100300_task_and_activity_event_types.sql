-- Why: issue 19. Completing a task and logging a call, an email or a meeting
-- are part of a customer's story, so the timeline records them, written by the
-- database like every other event type. The two types are added in a
-- migration of their own: a new enum value cannot be used in the transaction
-- that adds it (the triggers that write them come in the next migrations).

alter type public.timeline_event_type add value if not exists 'task_completed';
alter type public.timeline_event_type add value if not exists 'activity_logged';
