-- Why: files are uploaded straight to Storage through a signed URL the API hands
-- out, so a document row exists before its file does. `status` tells the two
-- apart: `pending` from the moment the upload URL is issued, `ready` once the
-- API has seen the object in Storage (and taken its size and type from there);
-- `uploaded_at` is that moment. The timeline's document_added now means "the
-- file arrived", so it fires when a document becomes ready, not when the
-- pending row is created. Pending rows older than a day are abandoned uploads,
-- removed by the nightly job (indexed for it).
--
-- The default is `ready`, not `pending`: only the upload flow creates pending
-- rows, and it says so. Anything else that inserts documents (the seed, which
-- runs after migrations with triggers off, fixtures, a metadata-only create)
-- keeps meaning "this document exists", and can never be swept away as an
-- abandoned upload.

create type public.document_status as enum ('pending', 'ready');

alter table public.documents
  add column status public.document_status not null default 'ready',
  add column uploaded_at timestamptz;

update public.documents set uploaded_at = created_at where uploaded_at is null;

create index documents_pending_idx on public.documents (created_at) where status = 'pending';

-- A document becomes ready once, stamped by the database; it never goes back to pending.
create function private.stamp_document_upload() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    new.uploaded_at := case when new.status = 'ready' then now() end;
  elsif new.status is distinct from old.status then
    if old.status = 'ready' then
      raise exception 'a ready document cannot go back to pending' using errcode = '23514';
    end if;
    new.uploaded_at := now();
  else
    new.uploaded_at := old.uploaded_at;
  end if;
  return new;
end
$$;

create trigger documents_stamp_upload before insert or update on public.documents
  for each row execute function private.stamp_document_upload();

-- document_added: on insert of a ready document (metadata-only), or when an upload completes.
create or replace function private.document_timeline() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  if new.status = 'ready' and (tg_op = 'INSERT' or old.status is distinct from 'ready') then
    perform private.record_timeline_event(new.org_id, new.customer_id, 'document_added',
      format('Document %s added', new.name),
      jsonb_build_object('document_id', new.id, 'name', new.name, 'category', new.category));
  end if;
  return null;
end
$$;

drop trigger documents_timeline on public.documents;
create trigger documents_timeline after insert or update of status on public.documents
  for each row execute function private.document_timeline();
