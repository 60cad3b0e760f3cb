import { html } from '../../html.ts'

/** The overview's shape while its numbers load: no layout jump when they arrive. */
export function OverviewSkeleton() {
  return html`<section class="screen overview" aria-busy="true">
    <h1>Overview</h1>
    <p class="visually-hidden" role="status">Loading the overview…</p>
    <div class="kpi-grid" aria-hidden="true">
      ${[1, 2, 3, 4].map(
        (i) => html`<div key=${i} class="card kpi skeleton">
          <span class="skeleton-line skeleton-short"></span>
          <span class="skeleton-line skeleton-big"></span>
          <span class="skeleton-line"></span>
        </div>`,
      )}
    </div>
    <div class="overview-grid" aria-hidden="true">
      <div class="card chart-panel chart-wide skeleton"><span class="skeleton-line skeleton-short"></span><div class="skeleton-block"></div></div>
      <div class="card chart-panel skeleton"><span class="skeleton-line skeleton-short"></span><div class="skeleton-block"></div></div>
    </div>
  </section>`
}
