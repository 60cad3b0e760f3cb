-- Why: the vocabulary of the product in one place. Enums keep invalid values out
-- and sort in business order (a membership role compares as viewer < rep <
-- manager < admin < owner; a phase in pipeline order).
--
-- customer_phase:   lead → qualified → proposal → negotiation → won → onboarding → active,
--                   and the exits churned (was a customer) and lost (never became one).
-- membership_role:  viewer (reads), rep (writes the customers it owns), manager (writes
--                   all of the org), admin (also members and integrations), owner.
-- process_status:   planned, in_progress, blocked, done, cancelled.
-- document_category: contract, proposal, invoice, report, other.
-- chat_role:        user, assistant, system (as chat-completion APIs name them).
-- timeline_event_type: what the database records (customer_created, phase_changed,
--                   owner_changed, process_status_changed, document_added, customer_deleted)
--                   and what people add (note).

create type public.customer_phase as enum (
  'lead', 'qualified', 'proposal', 'negotiation', 'won', 'onboarding', 'active', 'churned', 'lost'
);

create type public.membership_role as enum ('viewer', 'rep', 'manager', 'admin', 'owner');

create type public.process_status as enum ('planned', 'in_progress', 'blocked', 'done', 'cancelled');

create type public.document_category as enum ('contract', 'proposal', 'invoice', 'report', 'other');

create type public.chat_role as enum ('user', 'assistant', 'system');

create type public.timeline_event_type as enum (
  'customer_created', 'phase_changed', 'owner_changed', 'process_status_changed',
  'document_added', 'customer_deleted', 'note'
);
