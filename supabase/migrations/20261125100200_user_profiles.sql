-- Why: the app shows people by name, but auth.users belongs to Supabase Auth and
-- is not exposed. Each auth user gets a public profile row, created by trigger as
-- Supabase projects do, so sign-up through any path (dashboard, admin API, seed)
-- yields a profile. Visibility of profiles to colleagues is added with memberships.

create table public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  username text not null,
  display_name text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint users_username_format check (username ~ '^[a-z0-9][a-z0-9._-]{1,38}[a-z0-9]$'),
  constraint users_display_name_not_blank check (length(btrim(display_name)) between 1 and 200),
  constraint users_email_format check (email ~* '^[^@\s]+@[^@\s]+\.[^@\s]+$')
);
create unique index users_username_key on public.users (lower(username));
create index users_email_idx on public.users (lower(email));

create trigger users_set_updated_at before update on public.users
  for each row execute function private.set_updated_at();

alter table public.users enable row level security;

-- A username derived from the email (or the one chosen at sign-up, when it is a valid
-- one), made unique with a suffix when taken. Whatever the email or metadata hold,
-- the profile must satisfy the table's checks: a failure here fails the sign-up.
create function private.handle_new_auth_user() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  base text := left(regexp_replace(lower(split_part(coalesce(new.email, new.id::text), '@', 1)),
                                   '[^a-z0-9._-]', '', 'g'), 30);
  candidate text;
begin
  -- Usernames start and end with a letter or digit: "john_@…" becomes "john".
  base := regexp_replace(base, '^[._-]+|[._-]+$', '', 'g');
  -- At least 3 characters ("q@…" becomes "q00"); rpad alone would also cut longer ones to 3.
  base := coalesce(nullif(base, ''), 'user');
  base := rpad(base, greatest(length(base), 3), '0');
  candidate := lower(btrim(coalesce(new.raw_user_meta_data ->> 'username', '')));
  if candidate !~ '^[a-z0-9][a-z0-9._-]{1,38}[a-z0-9]$' then
    candidate := base;
  end if;
  if exists (select from public.users where lower(username) = lower(candidate)) then
    candidate := base || '-' || left(replace(new.id::text, '-', ''), 8);
  end if;
  insert into public.users (id, email, username, display_name)
  values (
    new.id,
    coalesce(new.email, new.id::text || '@users.invalid'),
    candidate,
    left(coalesce(nullif(btrim(new.raw_user_meta_data ->> 'display_name'), ''),
                  nullif(btrim(new.raw_user_meta_data ->> 'full_name'), ''),
                  nullif(split_part(coalesce(new.email, ''), '@', 1), ''),
                  'user'), 200)
  );
  return new;
end
$$;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_auth_user();

-- Email is Auth's: keep the profile's copy in step when it changes there.
create function private.handle_auth_user_email_change() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  update public.users set email = new.email where id = new.id;
  return new;
end
$$;

create trigger on_auth_user_email_changed after update of email on auth.users
  for each row when (new.email is distinct from old.email and new.email is not null)
  execute function private.handle_auth_user_email_change();
