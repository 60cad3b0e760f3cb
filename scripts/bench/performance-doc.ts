// docs/performance.md when it does not exist yet: the text around the figures.
// The bench rewrites only what lies between the bench markers.

export function performanceDocument(): string {
  return `# Performance: \`npm run bench\`

\`\`\`sh
psql -h 127.0.0.1 -U postgres -c 'create database bench'
DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench npm run bench   # BENCH_DURATION=5 for a shorter run
\`\`\`

Targets (issue 10): p99 < 25 ms for reads and < 50 ms for writes at 50
connections, zero errors; API throughput at least half the raw SQL baseline's;
RLS at most 20% over the superuser with an equivalent WHERE. The dashboard:
the gzip size of what its first screen downloads, and the time to the
overview's numbers and charts in headless Chromium (\`BENCH_DASHBOARD_RUNS\`
cold loads, default 5; \`BENCH_SKIP_DASHBOARD=1\` leaves it out).
`
}
