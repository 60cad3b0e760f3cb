-- Why: deleting a document deletes its file, so the customer's audit trail must
-- say so, as it says when one was added. A new event type names it; it is
-- added in a migration of its own because a new enum value cannot be used in
-- the transaction that adds it (the trigger below only names it in a PL/pgSQL
-- body, which is resolved when it first runs, not here).
--
-- Only ready documents are announced (a pending one was never added), and not
-- when the whole customer goes away (its customer_deleted event says it all,
-- and the event could not point at a customer that no longer exists).

alter type public.timeline_event_type add value if not exists 'document_deleted';

create function private.document_deleted_timeline() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  if old.status = 'ready' and exists (select from public.customers c where c.id = old.customer_id) then
    perform private.record_timeline_event(old.org_id, old.customer_id, 'document_deleted',
      format('Document %s deleted', old.name),
      jsonb_build_object('document_id', old.id, 'name', old.name, 'category', old.category));
  end if;
  return null;
end
$$;

create trigger documents_deleted_timeline after delete on public.documents
  for each row execute function private.document_deleted_timeline();
