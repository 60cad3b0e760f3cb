import htm from 'htm'
import { h } from 'preact'

/** JSX without a compiler: tagged templates turned into Preact elements. */
export const html = htm.bind(h)
