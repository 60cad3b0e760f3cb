-- Why: issue 19. A weighted forecast multiplies each open deal by how likely
-- its phase is to be won, and "stuck" means longer in a phase than the team
-- expects. Both are the organization's own judgement, so each organization
-- has one row per phase: a win probability (0..100 %) for the open phases
-- (lead, qualified, proposal, negotiation: defaults 10, 25, 50, 75; a won
-- phase counts 100 and lost or churned 0, so those rows hold none) and a
-- "stuck after" threshold in days (null: never stuck in that phase).
--
-- The rows exist for every organization, made by the database: for existing
-- ones here, for new ones by a trigger, so no figure ever meets a missing
-- setting. Members read them; admins and owners change the two numbers;
-- nobody adds or removes a row (no insert or delete grant: the set of phases
-- is the enum's). Seeds, which write with triggers off, write their own rows.
-- The defaults are functions/domain/vocabulary.ts's (defaultPhaseProbabilities,
-- defaultStuckAfterDays); tests/triggers.test.ts compares them.

-- Where a phase stands, as functions/domain/vocabulary.ts's phaseOutcomes says
-- (tests/triggers.test.ts compares the two for every phase). Immutable: checks
-- and the value views use it.
create function private.phase_outcome(p_phase public.customer_phase) returns text
  language sql immutable
  set search_path = ''
as $$
  select case p_phase
    when 'lead' then 'open'
    when 'qualified' then 'open'
    when 'proposal' then 'open'
    when 'negotiation' then 'open'
    when 'won' then 'won'
    when 'onboarding' then 'won'
    when 'active' then 'won'
    when 'churned' then 'churned'
    when 'lost' then 'lost'
  end
$$;

grant execute on function private.phase_outcome(public.customer_phase) to authenticated, service_role;

create table public.phase_settings (
  org_id uuid not null references public.organizations (id) on delete cascade,
  phase public.customer_phase not null,
  probability smallint,
  stuck_after_days integer,
  updated_at timestamptz not null default now(),
  primary key (org_id, phase),
  constraint phase_settings_probability_range check (probability between 0 and 100),
  -- Open phases always have a probability; the others have none (won counts 100, lost and churned 0).
  constraint phase_settings_probability_only_open check (
    (probability is not null) = (private.phase_outcome(phase) = 'open')
  ),
  constraint phase_settings_stuck_after_days_range check (stuck_after_days between 1 and 3650)
);

create trigger phase_settings_set_updated_at before insert or update on public.phase_settings
  for each row execute function private.set_updated_at();
create trigger phase_settings_forbid_org_change before update on public.phase_settings
  for each row execute function private.forbid_org_change();

-- The defaults, for one organization.
create function private.create_phase_settings(p_org_id uuid) returns void
  language sql
  security definer
  set search_path = ''
as $$
  insert into public.phase_settings (org_id, phase, probability, stuck_after_days)
  select p_org_id, d.phase, d.probability, d.stuck_after_days
  from (values
    ('lead'::public.customer_phase, 10::smallint, 30),
    ('qualified', 25, 21),
    ('proposal', 50, 21),
    ('negotiation', 75, 14),
    ('won', null, 14),
    ('onboarding', null, 30),
    ('active', null, null),
    ('churned', null, null),
    ('lost', null, null)
  ) as d (phase, probability, stuck_after_days)
  on conflict (org_id, phase) do nothing
$$;

revoke execute on function private.create_phase_settings(uuid) from public, anon, authenticated;
grant execute on function private.create_phase_settings(uuid) to service_role;

create function private.add_phase_settings() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  perform private.create_phase_settings(new.id);
  return null;
end
$$;

create trigger organizations_add_phase_settings after insert on public.organizations
  for each row execute function private.add_phase_settings();

select private.create_phase_settings(o.id) from public.organizations o;

alter table public.phase_settings enable row level security;

create policy "Phase settings are visible to members of the organization"
  on public.phase_settings for select to authenticated
  using (org_id in (select private.member_org_ids()));

create policy "Phase settings are changed by the organization's admins"
  on public.phase_settings for update to authenticated
  using (org_id in (select private.org_ids_with_role('admin')))
  with check (org_id in (select private.org_ids_with_role('admin')));

revoke insert, update, delete on public.phase_settings from authenticated;
grant select on public.phase_settings to authenticated;
grant update (probability, stuck_after_days) on public.phase_settings to authenticated;
