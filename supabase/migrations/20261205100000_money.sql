-- Why: issue 19. The dashboard counted customers and hours but no money. Each
-- organization now keeps its figures in one currency, with a default hourly
-- rate; a service may have a rate of its own (null: the organization's), so
-- its monthly value is monthly_hours × rate; a customer may carry a one-off
-- deal value besides the recurring value of its services.
--
-- Money is numeric (exact decimal), never a float: sums of many amounts must
-- come out to the cent, and JSON carries them as strings. Rates and deal
-- values are never negative. The currency is one of the ISO 4217 codes
-- listed in functions/domain/vocabulary.ts (`currencies`), each of which the
-- dashboard can format; tests/catalogue.test.ts holds the check to that list.
--
-- Who writes them is who already writes the row: an organization's admins its
-- currency and default rate (the update policy), whoever may edit the
-- customer its services' rates and its deal value. The column grants name them.

alter table public.organizations
  add column currency text not null default 'EUR',
  add column default_hourly_rate numeric(12, 2) not null default 0,
  add constraint organizations_currency_known check (currency = any (array[
    'EUR', 'USD', 'GBP', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'RON', 'CAD', 'AUD', 'NZD',
    'JPY', 'CNY', 'INR', 'SGD', 'HKD', 'BRL', 'MXN', 'ZAR', 'ILS', 'AED'
  ])),
  add constraint organizations_default_hourly_rate_range check (default_hourly_rate >= 0);

alter table public.services
  add column hourly_rate numeric(12, 2),
  add constraint services_hourly_rate_range check (hourly_rate is null or hourly_rate >= 0);

alter table public.customers
  add column deal_value numeric(14, 2),
  add constraint customers_deal_value_range check (deal_value is null or deal_value >= 0);

grant update (currency, default_hourly_rate) on public.organizations to authenticated;
grant update (hourly_rate) on public.services to authenticated;
grant update (deal_value) on public.customers to authenticated;
