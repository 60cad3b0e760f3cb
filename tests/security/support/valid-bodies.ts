/**
 * A body each request schema accepts, by its OpenAPI component name. A schema
 * missing here fails the suites that use it: a new body must be given one.
 */
export const validBodies: Record<string, Record<string, unknown>> = {
  CustomerCreate: { name: 'Security suite customer' },
  CustomerPatch: { name: 'Security suite rename' },
  ChatSessionCreate: { title: 'Security suite chat' },
  ChatSessionPatch: { title: 'Security suite rename' },
  ChatMessageCreate: { content: 'Security suite message' },
  MePatch: { display_name: 'Security suite' },
  ContactCreate: { name: 'Security suite contact' },
  ContactPatch: { name: 'Security suite rename' },
  TeamCreate: { name: 'Security suite team', finance_code: 'SEC-1' },
  TeamPatch: { name: 'Security suite rename' },
  ProcessCreate: { name: 'Security suite process' },
  ProcessPatch: { name: 'Security suite rename' },
  ServiceCreate: { name: 'Security suite service', monthly_hours: 1 },
  ServicePatch: { name: 'Security suite rename' },
  TaskCreate: { title: 'Security suite task' },
  TaskPatch: { title: 'Security suite rename' },
  NotificationPatch: { read: true },
  ActivityCreate: { kind: 'call', outcome: 'completed' },
  DocumentUploadCreate: { name: 'security.pdf', content_type: 'application/pdf', size_bytes: 10 },
  DocumentCreate: { name: 'security.pdf' },
  DocumentPatch: { name: 'security-renamed.pdf' },
  NoteCreate: { description: 'Security suite note' },
  IntegrationCreate: { provider: 'pipedrive', name: 'Security suite integration' },
  IntegrationPatch: { name: 'Security suite rename' },
  InvitationCreate: { email: 'security-suite@example.com', role: 'viewer' },
  MemberRoleChange: { role: 'rep' },
  OrganizationCreate: { name: 'Security suite organization' },
  OrganizationPatch: { name: 'Security suite rename' },
  PhaseSettingPatch: { stuck_after_days: 45 },
}

export function validBodyFor(name: string): Record<string, unknown> {
  const body = validBodies[name]
  if (!body)
    throw new Error(`No valid example body for ${name}: add one to tests/security/support/valid-bodies.ts`)
  return structuredClone(body)
}
