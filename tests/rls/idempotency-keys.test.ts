import { beforeAll, describe } from 'vitest'
import {
  type Actor,
  affected,
  eachActor,
  expectations,
  noPrivilege,
  refusedByRls,
  sees,
  useWorld,
} from './matrix.ts'

/** Idempotency keys are their user's alone; a client records and completes them, never rewrites or deletes. */
const w = useWorld()
const denied = noPrivilege('idempotency_keys')

beforeAll(async () => {
  await w.t.db.query(
    `insert into public.idempotency_keys (user_id, key, method, path, request_hash)
     values ($1, 'rep-key-0001', 'POST', '/api/customers', 'hash')`,
    [w.f.users.rep.id],
  )
  w.labels.set(`${w.f.users.rep.id}/rep-key-0001`, "rep's key")
})

const keySql = `select user_id || '/' || key as key from public.idempotency_keys`
const record = (actor: Actor, userId: string) =>
  w.write(
    actor,
    `insert into public.idempotency_keys (user_id, key, method, path, request_hash)
     values ($1, 'new-key-0001', 'POST', '/api/customers', 'hash') returning 1`,
    [userId],
  )

describe('idempotency_keys', () => {
  eachActor(
    'selecting all idempotency keys',
    expectations(sees(), { anon: denied, rep: sees("rep's key"), service_role: sees("rep's key") }),
    (actor) => w.read(actor, keySql),
  )

  eachActor(
    'recording a key of their own (the service role: for rep)',
    expectations(affected(1), { anon: denied }),
    (actor) => record(actor, w.idOf(actor) ?? w.f.users.rep.id),
  )

  eachActor(
    'recording a key for rep',
    expectations(refusedByRls('idempotency_keys'), {
      anon: denied,
      rep: affected(1),
      service_role: affected(1),
    }),
    (actor) => record(actor, w.f.users.rep.id),
  )

  eachActor(
    "completing rep's key",
    expectations(affected(0), { anon: denied, rep: affected(1), service_role: affected(1) }),
    (actor) =>
      w.write(
        actor,
        `update public.idempotency_keys set status = 201, response = '{}' where user_id = $1 returning 1`,
        [w.f.users.rep.id],
      ),
  )

  eachActor(
    "rewriting the request hash of rep's key",
    expectations(denied, { service_role: affected(1) }),
    (actor) =>
      w.write(
        actor,
        `update public.idempotency_keys set request_hash = 'forged' where user_id = $1 returning 1`,
        [w.f.users.rep.id],
      ),
  )

  eachActor("deleting rep's key", expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(actor, 'delete from public.idempotency_keys where user_id = $1 returning 1', [w.f.users.rep.id]),
  )
})
