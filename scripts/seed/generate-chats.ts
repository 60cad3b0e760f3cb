import type { OrganizationPeople } from './generate-accounts.ts'
import { seedUuid } from './ids.ts'
import { createFaker, DAY, MINUTE } from './random.ts'
import type { ChatMessageRow, ChatSessionRow } from './tables.ts'

/** Conversations about the pipeline, as someone would have them with an assistant. */
const conversations = [
  {
    title: 'Deals at risk this week',
    turns: [
      'Which of my deals in negotiation have gone quiet?',
      'Three negotiations have had no activity for more than two weeks. The largest is waiting on a security review.',
      'Draft a short nudge for the one waiting on security.',
      'Here is a draft: "Hi, checking in on the security questionnaire — anything we can answer on a call this week?"',
    ],
  },
  {
    title: 'Quarterly pipeline summary',
    turns: [
      'Summarise how the pipeline moved this quarter.',
      'New leads are up on last quarter, proposals converted at a similar rate, and two customers churned after onboarding.',
    ],
  },
  {
    title: 'Onboarding checklist',
    turns: [
      'What usually blocks onboarding for new customers?',
      'Most blocked onboarding processes wait on data migration or on procurement approval.',
      'Who owns the blocked ones?',
      'Mostly the reps; one is unassigned and could go to a manager.',
      'Thanks, I will pick that one up.',
      'Noted. I will include it in tomorrow’s summary.',
    ],
  },
  {
    title: 'Renewal prep',
    turns: [
      'Which active customers renew in the next two months?',
      'Five active customers have renewal dates coming up; two have open support escalations.',
    ],
  },
] as const

/** Who chats: the owner, manager and first rep of each org, and the person in two orgs (in both). */
const chattingRoles = new Set(['owner', 'manager', 'rep'])

export function generateChats(orgs: readonly OrganizationPeople[]): {
  sessions: ChatSessionRow[]
  messages: ChatMessageRow[]
} {
  const faker = createFaker(2)
  const sessions: ChatSessionRow[] = []
  const messages: ChatMessageRow[] = []
  for (const org of orgs) {
    const seen = new Set<string>()
    const chatters = org.members.filter((m) => {
      const first = chattingRoles.has(m.role) && !seen.has(m.role)
      seen.add(m.role)
      return first || m.id === multiOrgMember(orgs)
    })
    for (const member of chatters) {
      const picked = faker.helpers.arrayElements(conversations, { min: 1, max: 2 })
      picked.forEach((conversation, k) => {
        const id = seedUuid(`chat:${org.key}:${member.id}:${k}`)
        const startAge = faker.number.int({ min: 1 * DAY, max: 30 * DAY })
        const turnAges = conversation.turns.map(
          (_, n) => startAge - n * faker.number.int({ min: MINUTE, max: 3 * MINUTE }),
        )
        sessions.push({
          id,
          org_id: org.id,
          user_id: member.id,
          title: conversation.title,
          created_at: startAge,
          updated_at: turnAges.at(-1) as number,
        })
        conversation.turns.forEach((content, n) => {
          messages.push({
            id: seedUuid(`chat-message:${id}:${n}`),
            org_id: org.id,
            session_id: id,
            role: n % 2 === 0 ? 'user' : 'assistant',
            content,
            created_at: turnAges[n] as number,
          })
        })
      })
    }
  }
  return { sessions, messages }
}

/** The one user with memberships in more than one of the orgs. */
function multiOrgMember(orgs: readonly OrganizationPeople[]): string | undefined {
  const counts = new Map<string, number>()
  for (const org of orgs) for (const m of org.members) counts.set(m.id, (counts.get(m.id) ?? 0) + 1)
  return [...counts].find(([, n]) => n > 1)?.[0]
}
