-- Why: changes that external CRMs push by webhook must show in the customer's
-- timeline as coming from that integration, not from a person. A new event type
-- names them; it is added in a migration of its own because a new enum value
-- cannot be used in the transaction that adds it.

alter type public.timeline_event_type add value if not exists 'crm_sync';
