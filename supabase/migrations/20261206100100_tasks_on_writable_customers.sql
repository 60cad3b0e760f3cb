-- Why: a review found that a rep could create a task, for themselves, about a
-- colleague's customer, and by creating it done, write a "Task … completed"
-- entry into that customer's timeline: a note in all but name, which the
-- notes' own policy refuses. A task is one of a customer's children, and a rep
-- writes the children of the customers they own (DESIGN.md): creating a task
-- now also needs the customer to be the caller's to write (managers and up:
-- any customer of their organization). The assignee of a task a manager
-- created about someone else's customer still edits and completes it.

drop policy "Tasks are created by managers for anyone, by others for themselves" on public.tasks;

create policy "Tasks are created by managers for anyone, by reps for themselves on their customers"
  on public.tasks for insert to authenticated
  with check (
    private.can_write_task(org_id, assignee_id)
    and private.can_write_customer_id(customer_id)
  );
