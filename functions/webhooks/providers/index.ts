import type { IntegrationProvider } from '../../domain/vocabulary.ts'
import { hubspot } from './hubspot.ts'
import { pipedrive } from './pipedrive.ts'
import { standardWebhooks } from './standard-webhooks.ts'
import type { Provider } from './types.ts'

export const providers: Record<IntegrationProvider, Provider> = {
  hubspot,
  pipedrive,
  standard_webhooks: standardWebhooks,
}
