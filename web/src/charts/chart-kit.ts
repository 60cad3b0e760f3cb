/**
 * chart.js with only the pieces the dashboard draws, registered once. This
 * module is the target of a dynamic import (load-chart-kit.ts), so chart.js
 * lands in its own chunk and never in the first-load bundle; naming the parts
 * (instead of `chart.js/auto`) lets esbuild drop the rest.
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js'
import { cssVar } from './theme.ts'

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  DoughnutController,
  ArcElement,
  CategoryScale,
  LinearScale,
  Filler,
  Legend,
  Tooltip,
)

// The dashboard's type and colours, so a chart reads like the page around it.
Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'system-ui, sans-serif'
Chart.defaults.color = cssVar('--muted', '#4b5563')
Chart.defaults.borderColor = '#e5e7eb'

export { Chart }
