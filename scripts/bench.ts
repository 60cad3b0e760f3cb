// npm run bench — the benchmark suite arrives with the performance issue.
// Until then this says so instead of pretending to measure anything.
console.log('npm run bench: not yet. The benchmark suite is the performance issue (#10).')
console.log(
  'Figures measured so far are in docs/seed.md (seed timings) and docs/api.md (in-process API latency).',
)
