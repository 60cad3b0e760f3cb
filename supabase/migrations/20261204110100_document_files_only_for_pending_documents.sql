-- Why: issue 17, holes 1 and 5. Storage's policies let whoever may write a
-- customer add, replace and remove any object under the customer's folder,
-- with their own token and storage-js, around the API: a file no document
-- names (the nightly sweep would find it a day later), a replacement for a
-- ready document's file after the API had checked its size and type, or the
-- removal of a file a ready document still shows. Now that the database owns
-- every document's path and status, a signed-in user's own writes to the
-- documents bucket are narrowed to exactly one object: the file of a pending
-- document of a customer they may write, i.e. an upload not yet confirmed.
-- Reads stay as they were (members of the organization in the path).
--
-- The API's uploads are unaffected: their signed upload URL is asked for by
-- the service role and the upload through it runs as Storage's superuser.
-- As in 20261125130200, the helper lives in `private` on every database (the
-- local Storage stand-in asks it too), the policies only where a `storage`
-- schema exists.

create function private.can_write_document_object(p_name text) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  -- Definer: the row is found whatever RLS would show; the caller's own right is checked on it.
  return exists (
    select from public.documents d
    where d.storage_path = p_name and d.status = 'pending'
      and private.can_write_customer_id(d.customer_id)
  );
end
$$;

revoke execute on function private.can_write_document_object(text) from public, anon;
grant execute on function private.can_write_document_object(text) to authenticated, service_role;

do $$
begin
  if to_regclass('storage.objects') is null then
    raise notice 'no storage schema here: the documents bucket''s policies are Supabase''s only';
    return;
  end if;

  execute $sql$
    drop policy if exists "Document files are added by whoever may write the customer" on storage.objects
  $sql$;
  execute $sql$
    drop policy if exists "Document files are replaced by whoever may write the customer" on storage.objects
  $sql$;
  execute $sql$
    drop policy if exists "Document files are removed by whoever may write the customer" on storage.objects
  $sql$;

  execute $sql$
    create policy "A pending document's file is added by whoever may write its customer"
      on storage.objects for insert to authenticated
      with check (bucket_id = 'documents' and private.can_write_document_object(name))
  $sql$;
  execute $sql$
    create policy "A pending document's file is replaced by whoever may write its customer"
      on storage.objects for update to authenticated
      using (bucket_id = 'documents' and private.can_write_document_object(name))
      with check (bucket_id = 'documents' and private.can_write_document_object(name))
  $sql$;
  execute $sql$
    create policy "A pending document's file is removed by whoever may write its customer"
      on storage.objects for delete to authenticated
      using (bucket_id = 'documents' and private.can_write_document_object(name))
  $sql$;
end
$$;

-- Its policies are gone; reading still uses can_read_document_folder.
drop function private.can_write_document_folder(text[]);
