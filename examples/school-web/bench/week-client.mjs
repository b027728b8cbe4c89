// The load generator of the "book a week" flow (bench/portal.bench.ts), in its own process so that
// the server's process spends its CPU time on serving only. Each parent books the four days of a
// week then cancels them, in a loop, for the given seconds; prints the figures as JSON.
// argv[2]: { base, seconds, week, parents: [{ cookie, csrf, child }] }
const { base, seconds, week, parents } = JSON.parse(process.argv[2])
const latencies = []
let failures = 0
const end = Date.now() + seconds * 1000
const post = (p, action) => {
  const body = new URLSearchParams({ _csrf: p.csrf, child: p.child, service: 'gouter', month: week[0].slice(0, 7), action })
  for (const d of week) body.append('date', d)
  return fetch(`${base}/bookings`, { method: 'POST', body, redirect: 'manual', headers: { Cookie: p.cookie, 'Content-Type': 'application/x-www-form-urlencoded' } })
}
await Promise.all(parents.map(async (p) => {
  while (Date.now() < end) {
    for (const action of ['book', 'cancel']) {
      const a = performance.now()
      try {
        const res = await post(p, action)
        await res.arrayBuffer()
        if (res.status !== 303) failures++
      } catch (e) {
        // a connection the server closed as it was reused (counted as a failure, reported once)
        if (failures++ === 0) process.stderr.write(`week-client: ${e?.cause?.code ?? e}\n`)
      }
      latencies.push(performance.now() - a)
    }
  }
}))
latencies.sort((a, b) => a - b)
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
process.stdout.write(JSON.stringify({ requests: latencies.length, seconds, p50: at(0.5), p99: at(0.99), failures }))
