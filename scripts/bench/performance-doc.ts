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
RLS at most 20% over the superuser with an equivalent WHERE.
`
}
