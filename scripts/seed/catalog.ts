/**
 * Word lists a sales team would recognise; faker supplies the people and
 * company names, these supply what they buy, run and file.
 */
export const departments = [
  { name: 'Finance', code: 'FIN' },
  { name: 'Operations', code: 'OPS' },
  { name: 'IT', code: 'IT' },
  { name: 'Marketing', code: 'MKT' },
  { name: 'Sales', code: 'SAL' },
  { name: 'Procurement', code: 'PRC' },
  { name: 'Human Resources', code: 'HR' },
  { name: 'Customer Support', code: 'SUP' },
] as const

export const processNames = [
  'Kickoff workshop',
  'Security review',
  'Procurement approval',
  'Data migration',
  'Integration setup',
  'User training',
  'Quarterly business review',
  'Contract renewal',
  'Onboarding checklist',
  'Legal review',
] as const

export const serviceNames = [
  'Managed hosting',
  'Premium support',
  'Data analytics',
  'Consulting',
  'Training',
  'Security monitoring',
  'Implementation',
  'Account management',
] as const

export const documentKinds = [
  { category: 'proposal', title: 'Proposal', ext: 'pdf', type: 'application/pdf' },
  { category: 'contract', title: 'Master services agreement', ext: 'pdf', type: 'application/pdf' },
  { category: 'invoice', title: 'Invoice', ext: 'pdf', type: 'application/pdf' },
  {
    category: 'report',
    title: 'Usage report',
    ext: 'xlsx',
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  {
    category: 'other',
    title: 'Meeting notes',
    ext: 'docx',
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
] as const

export const noteTemplates = [
  (who: string, topic: string) => `Call with ${who}: discussed ${topic}.`,
  (who: string, topic: string) => `Sent ${who} a follow-up about ${topic}.`,
  (who: string, topic: string) => `${who} asked for more detail on ${topic}.`,
  (who: string, topic: string) => `Meeting with ${who} booked to go through ${topic}.`,
  (_who: string, topic: string) => `Internal review of ${topic}; next step agreed.`,
] as const

export const noteTopics = [
  'pricing',
  'the renewal date',
  'onboarding timelines',
  'the security questionnaire',
  'seat counts',
  'the integration roadmap',
  'payment terms',
  'support hours',
  'a reference customer',
  'the pilot results',
] as const

/** What a rep writes as a deal's next step. */
export const nextSteps = [
  'Send the revised proposal',
  'Book a demo with the IT lead',
  'Call the CFO about budget approval',
  'Share references from similar clients',
  'Schedule the security review',
  'Agree the pilot scope',
  'Send the contract for signature',
  'Follow up on procurement questions',
  'Prepare the pricing options',
  'Introduce the onboarding team',
] as const

/** Tasks a sales team sets itself. */
export const taskTitles = [
  'Follow up after the demo',
  'Send the pricing sheet',
  'Call back about the renewal',
  'Prepare the quarterly review',
  'Chase the signed contract',
  'Check in with the champion',
  'Update the proposal',
  'Confirm the kickoff date',
  'Answer the security questionnaire',
  'Send the meeting notes',
] as const

/** One-line summaries of a logged call, email or meeting. */
export const activitySummaries = {
  call: [
    'Discussed the budget for next quarter',
    'Walked through the proposal',
    'Checked in on the pilot',
    'Asked about the decision timeline',
  ],
  email: [
    'Sent the case study they asked for',
    'Shared the updated pricing',
    'Followed up on the open questions',
    'Sent the meeting recap',
  ],
  meeting: [
    'Demo for the operations team',
    'Quarterly business review',
    'Contract negotiation with procurement',
    'Kickoff workshop on site',
  ],
} as const
