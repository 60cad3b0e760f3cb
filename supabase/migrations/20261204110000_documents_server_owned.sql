-- Why: issue 17, hole 1. A document's storage_path was written by the API and
-- only prefix-checked by the database, so anyone holding a member's token
-- could rewrite it through PostgREST, e.g. to
-- `org/<own org>/customers/<own customer>/x/../../../../<other org>/…`. The API
-- then asked Storage about that path with the service-role key, the URL parser
-- resolved the dot segments (`..`, `%2e%2e`), and the member got another
-- tenant's file. The same token could mark a document ready, or give it any
-- size, type or upload time, without any file.
--
-- From here the database owns every fact about a document's file:
-- * storage_path is built by the database on insert, from the org, the
--   customer, the document's id and its name made safe
--   (private.document_file_name: ASCII letters, digits and `. _ -`, at most 100
--   characters, never starting with a dot), whatever the inserter brings, and
--   never changes afterwards: a rename keeps the file where it is, and a
--   document never moves to another customer (its file lives in the
--   customer's folder);
-- * an anchored check holds the exact shape
--   `org/<org_id>/customers/<customer_id>/<id>/<safe name>` with the row's own
--   ids, for every writer, triggers on or off (a seed, a restore);
-- * status, size_bytes, content_type, uploaded_at, uploaded_by, storage_path
--   (and id, created_at, updated_at) are withheld from signed-in users by
--   column grants: they insert name and category into a customer (org_id,
--   customer_id place the row) and update name and category, nothing else;
-- * a document a signed-in user inserts directly has no file yet: it is
--   pending, and becomes ready only through private.complete_document_upload,
--   which only the service role may run (the API runs it after checking the
--   caller under RLS and seeing the file in Storage itself). Rows written by
--   the service role, jobs and seeds keep the status they carry, as in
--   20261125100900.
--
-- Rows already stored: every path the API ever made has this shape (it built
-- them with the same rule, now moved here), renamed documents included, since
-- only the shape is checked, never the current name. Those rows and their files
-- are untouched. A row of another shape can only have been written around the
-- API (through PostgREST, or by hand); it is neither rewritten (its file would
-- be orphaned, and the nightly sweep would remove it) nor deleted: the check is
-- added NOT VALID, validated at once where no such row exists (a fresh or
-- API-only database), and otherwise left unvalidated with a notice naming how
-- many rows differ. Such a row stays readable and deletable; the API does not
-- send its path to Storage (the Storage client accepts only the server's
-- shape), and it cannot be updated until an operator deals with it.

-- The file-name part of a path: what functions/routes/documents/storage-path.ts
-- computed, now the one implementation. Trimmed as JavaScript trims (Unicode
-- spaces too), the extension kept if it is 1-10 ASCII letters or digits, the rest
-- decomposed (NFKD) and stripped of combining marks, runs of anything but
-- `A-Za-z0-9._-` turned into one dash, no leading dash or dot, cut to 100
-- characters with the extension, no trailing dash or dot; `file` when nothing
-- is left.
create function private.document_file_name(p_name text) returns text
  language plpgsql immutable parallel safe
  set search_path = ''
as $$
declare
  spaces constant text :=
    '[\u0009-\u000d\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]';
  trimmed text := regexp_replace(p_name, '^' || spaces || '+|' || spaces || '+$', '', 'g');
  extension text := coalesce('.' || substring(trimmed from '\.([A-Za-z0-9]{1,10})$'), '');
  stem text := left(trimmed, length(trimmed) - length(extension));
begin
  stem := regexp_replace(normalize(stem, NFKD), '[\u0300-\u036f]', '', 'g');
  stem := regexp_replace(stem, '[^A-Za-z0-9._-]+', '-', 'g');
  stem := regexp_replace(stem, '-{2,}', '-', 'g');
  stem := regexp_replace(stem, '^[-.]+', '');
  stem := regexp_replace(left(stem, 100 - length(extension)), '[-.]+$', '');
  return coalesce(nullif(stem, ''), 'file') || extension;
end
$$;

-- Tenant and customer first, so Storage's policies can decide from the path alone.
create function private.document_storage_path(p_org_id uuid, p_customer_id uuid, p_id uuid, p_name text)
  returns text
  language sql immutable parallel safe
  set search_path = ''
as $$
  select 'org/' || p_org_id::text || '/customers/' || p_customer_id::text || '/' || p_id::text || '/'
    || private.document_file_name(p_name)
$$;

-- The path, on every insert, whoever inserts and whatever path they bring. Definer: the path functions
-- are not the caller's to run (they would only echo what they are given, but nobody needs them).
create function private.build_document_path() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  new.storage_path := private.document_storage_path(new.org_id, new.customer_id, new.id, new.name);
  return new;
end
$$;

-- Row triggers run by name: the path (build) and the status (derive) are final before
-- stamp_document_upload decides uploaded_at from the status.
create trigger documents_build_path before insert on public.documents
  for each row execute function private.build_document_path();

-- As the writer (current_user is who inserts): a signed-in user's new document has no file yet, and no
-- document ever moves or changes its path.
create function private.derive_document_file() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if current_user = 'authenticated' then
      -- The grants keep the file's facts out of a signed-in user's insert; the status
      -- default (ready, for seeds and the service role) must not make one either.
      new.status := 'pending';
    end if;
  else
    if new.customer_id is distinct from old.customer_id then
      raise exception 'a document cannot move to another customer: its file lives in the customer''s folder'
        using errcode = '42501';
    end if;
    if new.storage_path is distinct from old.storage_path then
      raise exception 'storage_path cannot be changed' using errcode = '42501',
        hint = 'The file stays where it was uploaded; renaming a document changes its name only.';
    end if;
  end if;
  return new;
end
$$;

create trigger documents_derive_file before insert or update on public.documents
  for each row execute function private.derive_document_file();

alter table public.documents
  add constraint documents_storage_path_server_built check (
    storage_path ~ ('^org/' || org_id::text || '/customers/' || customer_id::text || '/' || id::text
                    || '/[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$')
  ) not valid;

do $$
declare
  others bigint;
begin
  select count(*) into others from public.documents
  where storage_path !~ ('^org/' || org_id::text || '/customers/' || customer_id::text || '/' || id::text
                         || '/[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$');
  if others = 0 then
    alter table public.documents validate constraint documents_storage_path_server_built;
    -- Implied by the new check.
    alter table public.documents drop constraint documents_storage_path_in_customer_folder;
  else
    raise notice '% document row(s) have a storage path the server did not build; they are kept as they are, '
      'and documents_storage_path_server_built stays NOT VALID (see this migration''s header)', others;
  end if;
end
$$;

-- What a signed-in user chooses: the document's name and category, and (on insert) the customer it
-- belongs to, with that customer's org (the composite foreign key and the policies hold them together).
revoke insert, update on public.documents from authenticated;
grant insert (org_id, customer_id, name, category) on public.documents to authenticated;
grant update (name, category) on public.documents to authenticated;

-- The two steps of an upload that write the file's facts. Only the service role runs them: the API
-- switches to it inside the caller's transaction after the caller's right was checked under RLS.

-- The size and type the uploader declared, kept on the pending row until the file is seen.
create function private.declare_document_upload(p_document_id uuid, p_size_bytes bigint, p_content_type text)
  returns void
  language sql
  set search_path = ''
as $$
  update public.documents set size_bytes = p_size_bytes, content_type = p_content_type
  where id = p_document_id and status = 'pending'
$$;

-- The file is in Storage with this size and type: the document is ready (uploaded_at is stamped by
-- stamp_document_upload, document_added recorded by document_timeline). No row when it is not pending.
create function private.complete_document_upload(p_document_id uuid, p_size_bytes bigint, p_content_type text)
  returns setof public.documents
  language sql
  set search_path = ''
as $$
  update public.documents set status = 'ready', size_bytes = p_size_bytes, content_type = p_content_type
  where id = p_document_id and status = 'pending'
  returning *
$$;

revoke execute on function private.document_file_name(text),
  private.document_storage_path(uuid, uuid, uuid, text),
  private.build_document_path(),
  private.derive_document_file(),
  private.declare_document_upload(uuid, bigint, text),
  private.complete_document_upload(uuid, bigint, text)
  from public, anon, authenticated;
grant execute on function private.document_file_name(text),
  private.document_storage_path(uuid, uuid, uuid, text),
  private.declare_document_upload(uuid, bigint, text),
  private.complete_document_upload(uuid, bigint, text)
  to service_role;
