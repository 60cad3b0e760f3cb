/**
 * SQL as tagged templates: `sql\`select … where org_id = ${orgId}\`` is a
 * statement whose every interpolated value is a parameter, numbered ($1, $2 …)
 * only when the whole statement is rendered. A fragment interpolated into
 * another is spliced in with its own values, so conditions, column lists and
 * clauses compose without anyone counting parameters or sharing an array.
 *
 * Nothing but our own code becomes SQL text: the template's literal parts,
 * identifiers checked by `sql.identifier` (names from our declarations, never
 * from input), and the separators of `sql.join`. Everything else is a
 * parameter, whatever it looks like.
 *
 * Both drivers take the rendered `{ text, params }` unchanged (Queryable.query).
 */
export class Sql {
  /** The literal parts: always one more than `values`. */
  readonly #strings: readonly string[]
  /** The parameters between them, nested fragments already spliced in. */
  readonly #values: readonly unknown[]

  constructor(strings: readonly string[], values: readonly unknown[]) {
    if (strings.length !== values.length + 1)
      throw new Error('a fragment needs one more text part than values')
    const parts: string[] = [strings[0] as string]
    const params: unknown[] = []
    values.forEach((value, i) => {
      const next = strings[i + 1] as string
      if (value instanceof Sql) {
        // Splice: the nested fragment's first part joins our last, its last part joins our next.
        parts[parts.length - 1] += value.#strings[0] as string
        for (let j = 0; j < value.#values.length; j++) {
          params.push(value.#values[j])
          parts.push(value.#strings[j + 1] as string)
        }
        parts[parts.length - 1] += next
      } else {
        params.push(bindable(value))
        parts.push(next)
      }
    })
    this.#strings = parts
    this.#values = params
  }

  /** The statement with its parameters numbered in order: `$1`, `$2` … */
  get text(): string {
    let text = this.#strings[0] as string
    for (let i = 1; i < this.#strings.length; i++) text += `$${i}${this.#strings[i]}`
    return text
  }

  /** The values of `$1`, `$2` … in order. */
  get params(): unknown[] {
    return [...this.#values]
  }
}

/**
 * What both drivers send the same way. Arrays and plain objects are refused:
 * postgres.js binds a JS array only with the server's array types fetched
 * (the Worker does not fetch them) and PGlite binds it its own way, so lists
 * travel as JSON (`sql.json`) or as one text literal (`sql.textArray`).
 * `undefined` is a forgotten value, not a NULL: say `null`.
 */
function bindable(value: unknown): unknown {
  if (value === undefined) throw new TypeError('undefined cannot be bound to SQL: pass null')
  if (Array.isArray(value)) throw new TypeError('bind a list with sql.json(…) or sql.textArray(…)')
  if (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  )
    throw new TypeError('bind an object with sql.json(…)')
  if (typeof value === 'function' || typeof value === 'symbol')
    throw new TypeError(`a ${typeof value} cannot be bound to SQL`)
  return value
}

/** The ways `sql.join` may separate fragments: fixed texts, or a fragment of our own. */
export type SqlSeparator = ', ' | ' and ' | ' or ' | ' ' | '\n' | Sql

/** A plain, lower-case identifier, optionally schema-qualified: `public.customers`, `x.name`. */
const identifierPattern = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/

const empty = new Sql([''], [])

export interface SqlTag {
  (strings: TemplateStringsArray, ...values: unknown[]): Sql
  /** The fragments one after another with `separator` between them; none: the empty fragment. */
  join(fragments: readonly Sql[], separator: SqlSeparator): Sql
  /**
   * A table, column or type name from our own declarations (a child resource's
   * table, a sort key's column), checked to be a plain identifier. Never a
   * value the client sent: those are parameters.
   */
  identifier(name: string): Sql
  /** A value as one jsonb parameter (`$n::jsonb`): lists and records to unpack with jsonb_to_recordset. */
  json(value: unknown): Sql
  /**
   * Values already validated as plain words (enum members) as one Postgres
   * array literal bound as text (`$n::text`): cast it on, e.g.
   * `${sql.textArray(phases)}::public.customer_phase[]`.
   */
  textArray(values: readonly string[]): Sql
  /** Nothing: an optional clause that is left out. */
  readonly empty: Sql
}

export const sql: SqlTag = Object.assign(
  (strings: TemplateStringsArray, ...values: unknown[]) => new Sql(strings, values),
  {
    join(fragments: readonly Sql[], separator: SqlSeparator): Sql {
      if (fragments.length === 0) return empty
      const glue = separator instanceof Sql ? separator : new Sql([separator], [])
      const values: Sql[] = [fragments[0] as Sql]
      for (const fragment of fragments.slice(1)) values.push(glue, fragment)
      return new Sql(['', ...values.map(() => '')], values)
    },
    identifier(name: string): Sql {
      if (!identifierPattern.test(name)) throw new Error(`Not a plain identifier: ${JSON.stringify(name)}`)
      return new Sql([name], [])
    },
    json(value: unknown): Sql {
      return new Sql(['', '::jsonb'], [JSON.stringify(value)])
    },
    textArray(values: readonly string[]): Sql {
      for (const v of values)
        if (!/^[a-z_]+$/.test(v)) throw new Error(`Not a plain word: ${JSON.stringify(v)}`)
      return new Sql(['', '::text'], [`{${values.join(',')}}`])
    },
    empty,
  },
)

/** Escapes LIKE/ILIKE wildcards so a search for "50%" finds "50%", not everything. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`
}
