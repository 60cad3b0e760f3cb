import type { ChartConfiguration } from 'chart.js'
import type { ComponentChildren } from 'preact'
import { html } from '../html.ts'
import { useChart } from './use-chart.ts'

export interface ChartPanelProps {
  /** Unique on the page: ids of the heading, and the key the drawn tracker knows the chart by. */
  id: string
  title: string
  /** What the chart shows in one or two sentences: the canvas's accessible name. */
  summary: string
  build: () => ChartConfiguration
  /** Rebuild the chart when any of these change. */
  deps: readonly unknown[]
  onDrawn?: (id: string) => void
  /** The chart's numbers as a table, for screen readers and anyone who wants the exact figures. */
  table: ComponentChildren
  headingLevel?: 2 | 3
  /** A note under the heading (units, time zone). */
  note?: ComponentChildren
  /** Figures that belong with the chart but not on its axes (overdue, undated), shown beside or under it. */
  aside?: ComponentChildren
  className?: string
}

/**
 * One chart with a visible heading, a canvas that screen readers announce as
 * an image with a summary, and the same numbers as a table behind "Show the
 * numbers". If chart.js cannot load, the table is still there.
 */
export function ChartPanel(props: ChartPanelProps) {
  const { canvas, error, retry } = useChart(props.build, props.deps, () => props.onDrawn?.(props.id))
  const heading = `${props.id}-title`
  const Heading = props.headingLevel === 3 ? 'h3' : 'h2'
  const box = html`<div class="chart-box">
    <canvas ref=${canvas} role="img" aria-label=${props.summary}></canvas>
  </div>`
  return html`<section class=${`card chart-panel ${props.className ?? ''}`} aria-labelledby=${heading}>
    <${Heading} id=${heading} class="chart-title">${props.title}</${Heading}>
    ${props.note && html`<p class="chart-note">${props.note}</p>`}
    ${
      props.aside
        ? html`<div class="chart-with-aside">${box}<div class="chart-aside">${props.aside}</div></div>`
        : box
    }
    ${
      error !== undefined &&
      html`<p class="chart-error" role="alert">
        The chart could not be drawn; the numbers are below.
        <button type="button" class="button" onClick=${retry}>Try again</button>
      </p>`
    }
    <details class="chart-numbers">
      <summary>Show the numbers</summary>
      ${props.table}
    </details>
  </section>`
}
