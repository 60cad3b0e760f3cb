/**
 * The samples of a text exposition, `name{labels}` → value: what the tests
 * (and a quick check of a running server) read back. Not a full parser: no
 * timestamps, and label values must not contain a space followed by a number.
 */
export function samples(text: string): Map<string, number> {
  const map = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const at = line.lastIndexOf(' ')
    map.set(line.slice(0, at), Number(line.slice(at + 1)))
  }
  return map
}
