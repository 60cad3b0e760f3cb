-- Why: document files live in Supabase Storage, in the private bucket
-- `documents`, under `org/<org_id>/customers/<customer_id>/<document_id>/<file name>`.
-- Storage asks Postgres whether a caller may read or write an object through
-- RLS on `storage.objects`, so the rules of the documents table must hold
-- there too: members of the organization in the path read; whoever may write
-- the customer in the path, while that customer belongs to that organization,
-- adds, replaces and removes. The API uses the service role (which bypasses
-- these) only after checking the caller under RLS; these policies are what
-- stop anyone going to Storage directly with their own token.
--
-- The helpers take the folders `storage.foldername(name)` returns and live in
-- `private` on every database (so they are tested on plain Postgres too); the
-- bucket and the policies only where a `storage` schema exists: on plain
-- Postgres and PGlite this migration creates the helpers and nothing else.

-- True when `folders` starts org/<uuid>/customers/<uuid> and the caller is a member of that org.
create function private.can_read_document_folder(folders text[]) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
declare
  uuid_pattern constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
begin
  -- PL/pgSQL, not SQL: never inlined, so the uuid casts run only after the shape is checked.
  if coalesce(array_length(folders, 1), 0) < 4 or folders[1] <> 'org' or folders[3] <> 'customers'
     or folders[2] !~ uuid_pattern or folders[4] !~ uuid_pattern then
    return false;
  end if;
  return private.is_org_member(folders[2]::uuid);
end
$$;

-- True when the caller may write the customer in `folders` and that customer belongs to the org in it.
create function private.can_write_document_folder(folders text[]) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  if not private.can_read_document_folder(folders) then
    return false;
  end if;
  return private.can_write_customer_id(folders[4]::uuid)
    and exists (select from public.customers c where c.id = folders[4]::uuid and c.org_id = folders[2]::uuid);
end
$$;

grant execute on function private.can_read_document_folder(text[]), private.can_write_document_folder(text[])
  to authenticated, service_role;

do $$
begin
  if to_regclass('storage.objects') is null or to_regclass('storage.buckets') is null then
    raise notice 'no storage schema here: the documents bucket and its policies are Supabase''s only';
    return;
  end if;

  -- Private: no public URLs; reads go through signed URLs or an authenticated request.
  -- 25 MB and the allow-list match the API's defaults (DOCUMENT_MAX_BYTES, DOCUMENT_ALLOWED_TYPES).
  execute $sql$
    insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
    values ('documents', 'documents', false, 26214400, array[
      'application/pdf', 'image/png', 'image/jpeg', 'text/plain',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation'
    ])
    on conflict (id) do nothing
  $sql$;

  execute $sql$
    drop policy if exists "Document files are readable by members of the organization" on storage.objects
  $sql$;
  execute $sql$
    create policy "Document files are readable by members of the organization"
      on storage.objects for select to authenticated
      using (bucket_id = 'documents' and private.can_read_document_folder(storage.foldername(name)))
  $sql$;

  execute $sql$
    drop policy if exists "Document files are added by whoever may write the customer" on storage.objects
  $sql$;
  execute $sql$
    create policy "Document files are added by whoever may write the customer"
      on storage.objects for insert to authenticated
      with check (bucket_id = 'documents' and private.can_write_document_folder(storage.foldername(name)))
  $sql$;

  execute $sql$
    drop policy if exists "Document files are replaced by whoever may write the customer" on storage.objects
  $sql$;
  execute $sql$
    create policy "Document files are replaced by whoever may write the customer"
      on storage.objects for update to authenticated
      using (bucket_id = 'documents' and private.can_write_document_folder(storage.foldername(name)))
      with check (bucket_id = 'documents' and private.can_write_document_folder(storage.foldername(name)))
  $sql$;

  execute $sql$
    drop policy if exists "Document files are removed by whoever may write the customer" on storage.objects
  $sql$;
  execute $sql$
    create policy "Document files are removed by whoever may write the customer"
      on storage.objects for delete to authenticated
      using (bucket_id = 'documents' and private.can_write_document_folder(storage.foldername(name)))
  $sql$;
end
$$;
