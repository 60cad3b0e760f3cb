import { hubspot } from './hubspot.ts'
import { pipedrive } from './pipedrive.ts'
import { standardWebhooks } from './standard-webhooks.ts'
import type { Provider, ProviderName } from './types.ts'

export const providers: Record<ProviderName, Provider> = {
  hubspot,
  pipedrive,
  standard_webhooks: standardWebhooks,
}
