type Edit = { op: ' ' | '-' | '+'; line: string; oldLine: number; newLine: number }

/**
 * The shortest edit script from `a` to `b` (Myers, "An O(ND) Difference
 * Algorithm", 1986): time and memory grow with the number of changed lines,
 * not with the file's length squared, so a file of thousands of lines with a
 * few changes diffs at once.
 */
function editScript(a: string[], b: string[]): Edit[] {
  const n = a.length
  const m = b.length
  const offset = n + m + 1
  const v = new Int32Array(2 * offset + 1)
  // trace[d] holds v[-d-1 … d+1] as it stood before step d.
  const trace: Int32Array[] = []
  let found = -1
  for (let d = 0; d <= n + m && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2))
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
      let x = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= n && y >= m) {
        found = d
        break
      }
    }
  }
  const edits: Edit[] = []
  let x = n
  let y = m
  for (let d = found; d >= 0; d--) {
    const before = trace[d] as Int32Array
    const at = (k: number) => before[k + d + 1] as number
    const k = x - y
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1
    const prevX = d === 0 ? 0 : at(prevK)
    const prevY = d === 0 ? 0 : prevX - prevK
    while (x > prevX && y > prevY) {
      edits.push({ op: ' ', line: a[x - 1] as string, oldLine: x, newLine: y })
      x--
      y--
    }
    if (d === 0) break
    if (x === prevX) edits.push({ op: '+', line: b[y - 1] as string, oldLine: x, newLine: y })
    else edits.push({ op: '-', line: a[x - 1] as string, oldLine: x, newLine: y })
    x = prevX
    y = prevY
  }
  return edits.reverse()
}

const objectStart =
  /^CREATE (OR REPLACE )?(TABLE|VIEW|MATERIALIZED VIEW|FUNCTION|PROCEDURE|TYPE|DOMAIN|SCHEMA|SEQUENCE) /

/** The last line at or above `index` that names what follows it: a block's heading or an object's CREATE. */
function nearestHeading(lines: string[], index: number): string {
  for (let i = index; i >= 0; i--) {
    const line = lines[i] as string
    if (/^-- \S.* -{3,}$/.test(line) || objectStart.test(line)) return ` ${line.replace(/ -{3,}$/, '')}`
  }
  return ''
}

/**
 * A unified diff (as `diff -u` prints it, with `context` lines around each
 * change and the nearest heading after each `@@`), at most `maxLines` long.
 */
export function unifiedDiff(
  before: string,
  after: string,
  options: { from: string; to: string; context?: number; maxLines?: number },
): string {
  const a = before.split('\n')
  const b = after.split('\n')
  const context = options.context ?? 3
  const edits = editScript(a, b)
  const changed = edits.flatMap((e, i) => (e.op === ' ' ? [] : [i]))
  const out = [`--- ${options.from}`, `+++ ${options.to}`]
  let i = 0
  while (i < changed.length) {
    const start = Math.max(0, (changed[i] as number) - context)
    let end = (changed[i] as number) + context
    while (i + 1 < changed.length && (changed[i + 1] as number) - context <= end + 1) {
      i++
      end = (changed[i] as number) + context
    }
    const hunk = edits.slice(start, Math.min(edits.length, end + 1))
    const first = hunk[0] as Edit
    const oldStart = first.op === '+' ? first.oldLine + 1 : first.oldLine
    const newStart = first.op === '-' ? first.newLine + 1 : first.newLine
    const oldCount = hunk.filter((e) => e.op !== '+').length
    const newCount = hunk.filter((e) => e.op !== '-').length
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@${nearestHeading(a, oldStart - 2)}`)
    out.push(...hunk.map((e) => `${e.op}${e.line}`))
    i++
  }
  const maxLines = options.maxLines ?? 400
  if (out.length <= maxLines) return out.join('\n')
  return [...out.slice(0, maxLines), `… and ${out.length - maxLines} more lines of diff`].join('\n')
}
