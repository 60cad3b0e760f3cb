import { OpenAPIHono } from '@hono/zod-openapi'
import type { ZodError } from 'zod'
import type { AppEnv } from '../context.ts'
import { type FieldError, problemResponse, problems } from '../problems/problem.ts'

/**
 * A router whose validation failures are RFC 9457 problems listing every
 * failing field, including fields the client may not set (strict objects).
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const errors = fieldErrors(result.error, result.target)
        return problemResponse(c, problems.badRequest(`${errors.length} field(s) are not valid.`, errors))
      }
    },
  })
}

export function fieldErrors(error: ZodError, target: string): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const base = [target === 'json' ? 'body' : target, ...issue.path.map(String)].join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${base}.${key}`, message: 'is not a field you can set' }))
    }
    return [{ field: base, message: issue.message }]
  })
}
