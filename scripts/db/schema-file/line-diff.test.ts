import { describe, expect, it } from 'vitest'
import { unifiedDiff } from './line-diff.ts'

const names = { from: 'before', to: 'after' }
const lines = (n: number, at = 1) => Array.from({ length: n }, (_, i) => `line ${i + at}`)

describe('unifiedDiff', () => {
  it('should print a changed line with three lines of context and the nearest heading, as diff -u does', () => {
    const before = ['-- public.customers ---', ...lines(10)]
    const after = [...before]
    after[6] = 'line six'
    expect(unifiedDiff(before.join('\n'), after.join('\n'), names)).toBe(
      [
        '--- before',
        '+++ after',
        '@@ -4,7 +4,7 @@ -- public.customers',
        ' line 3',
        ' line 4',
        ' line 5',
        '-line 6',
        '+line six',
        ' line 7',
        ' line 8',
        ' line 9',
      ].join('\n'),
    )
  })

  it('should keep changes far apart in hunks of their own and join close ones', () => {
    const before = lines(30)
    const after = [
      ...before.slice(0, 2),
      'inserted',
      ...before.slice(2, 5),
      ...before.slice(6, 27),
      ...before.slice(28),
    ]
    const diff = unifiedDiff(before.join('\n'), after.join('\n'), names)
    expect(diff.split('\n').filter((l) => l.startsWith('@@'))).toEqual([
      '@@ -1,9 +1,9 @@',
      '@@ -25,6 +25,5 @@',
    ])
    expect(diff.split('\n').filter((l) => /^[-+]line|^[-+]inserted/.test(l))).toEqual([
      '+inserted',
      '-line 6',
      '-line 28',
    ])
  })

  // Time and memory follow the changes, not the length squared: a table of 100,000² cells would
  // take minutes and gigabytes; the bound leaves room for a loaded machine.
  it('should diff a long file with a few changes at once', () => {
    const before = lines(100_000)
    const after = [...before.slice(0, 100), ...before.slice(101, 99_000), 'new', ...before.slice(99_000)]
    const started = performance.now()
    const diff = unifiedDiff(before.join('\n'), after.join('\n'), names)
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toEqual(['-line 101', '+new'])
  })

  it('should stop at maxLines and say how much it left out', () => {
    const diff = unifiedDiff(lines(50).join('\n'), lines(50, 100).join('\n'), { ...names, maxLines: 10 })
    expect(diff.split('\n')).toHaveLength(11)
    expect(diff.split('\n').at(-1)).toBe('… and 93 more lines of diff')
  })
})
