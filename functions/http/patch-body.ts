import type { z } from '@hono/zod-openapi'

/**
 * A PATCH body (RFC 5789): any of the fields a client may set, at least one.
 * Pass the settable fields as a strict object (an unknown field is a 400
 * naming it), each as it is when sent (nullable where null clears it); they
 * all become optional here.
 */
export const patchOf = <S extends z.ZodObject>(settable: S) =>
  settable
    .partial()
    .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' })
