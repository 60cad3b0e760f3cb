import { describe, expect, it } from 'vitest'
import { CsvSyntaxError, csvRecord, escapeFormula, parseCsv, unescapeFormula } from './csv.ts'

describe('CSV', () => {
  it('should round-trip commas, quotes, newlines and unicode (RFC 4180)', () => {
    const values = ['a,b', 'say "hi"', 'line 1\nline 2', 'crlf\r\ninside', 'Zoë 東京 🚀', '', 'plain']
    const text = csvRecord(values) + csvRecord(['x', 'y'])
    expect(text).toContain('"say ""hi"""')
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: values },
      { line: 4, cells: ['x', 'y'] },
    ])
  })

  it('should read LF files, skip a BOM and blank lines, and keep a quoted empty row', () => {
    expect(parseCsv('\uFEFFname,phase\n\nAcme,lead\n""\n')).toEqual([
      { line: 1, cells: ['name', 'phase'] },
      { line: 3, cells: ['Acme', 'lead'] },
      { line: 4, cells: [''] },
    ])
  })

  it('should refuse an unclosed quote and a quote inside an unquoted field, naming the line', () => {
    expect(() => parseCsv('a\n"open,b\n')).toThrow(CsvSyntaxError)
    expect(() => parseCsv('a\nx"y\n')).toThrow(/line 2/)
    expect(() => parseCsv('"a"b\n')).toThrow(/must end at a comma/)
  })

  it('should neutralise cells a spreadsheet would run as formulas', () => {
    for (const cell of ['=HYPERLINK("http://evil")', '+1', '-2', '@SUM(A1)', '\tx', '\rx']) {
      const [record] = parseCsv(csvRecord([cell]))
      expect(record?.cells[0]?.startsWith("'")).toBe(true)
      expect(unescapeFormula(record?.cells[0] ?? '')).toBe(cell)
    }
    expect(escapeFormula('Acme')).toBe('Acme')
  })

  it('should undo exactly the apostrophe it added, and keep one the value had', () => {
    for (const value of ["'=x", "''+y", "'plain", 'a=b', "'"]) {
      expect(unescapeFormula(escapeFormula(value))).toBe(value)
    }
    expect(unescapeFormula("'plain")).toBe("'plain")
  })
})
