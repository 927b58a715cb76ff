// The SDK side of scripts/bench: N trivial jobs through the official E2B SDK, `clients` at a time, each
// the steps a user calling E2B by hand makes: create → write main.py → run it → read its result → kill.
// Prints one JSON line: {"wallMs": total, "jobMs": [each job's time]}. E2B_API_URL, E2B_SANDBOX_URL and
// E2B_API_KEY point it at a server.
import { Sandbox } from 'e2b'

const [jobs, clients, code] = [Number(process.argv[2]), Number(process.argv[3]), process.argv[4]]
const workdir = '/home/user/job'

async function oneJob() {
  const started = performance.now()
  const sandbox = await Sandbox.create({ timeoutMs: 120_000 })
  try {
    await sandbox.files.write(`${workdir}/main.py`, code)
    await sandbox.commands.run('python main.py', { cwd: workdir, timeoutMs: 60_000 })
    JSON.parse(await sandbox.files.read(`${workdir}/results/out.json`))
  } finally {
    await sandbox.kill()
  }
  return performance.now() - started
}

let next = 0
const jobMs = []
async function client() {
  while (next < jobs) {
    next++
    jobMs.push(await oneJob())
  }
}

const started = performance.now()
await Promise.all(Array.from({ length: clients }, client))
console.log(JSON.stringify({ wallMs: performance.now() - started, jobMs }))
