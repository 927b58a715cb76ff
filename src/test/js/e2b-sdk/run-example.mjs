// Runs a Genesis-style example directory in a sandbox through the official E2B SDK:
// upload every file, run evaluate.py, print output, exit code and results, kill the sandbox.
// Used by scripts/run-example, which points E2B_API_URL / E2B_SANDBOX_URL at a server.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { Sandbox, CommandExitError } from 'e2b'

const exampleDir = process.argv[2]
const command = 'python evaluate.py --program_path main.py --results_dir results'
const workdir = '/home/user/job'

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

const sandbox = await Sandbox.create({ metadata: { 'e2bjobs.example': exampleDir }, timeoutMs: 120_000 })
console.log(`sandbox ${sandbox.sandboxId} created`)
try {
  const files = filesUnder(exampleDir).map((path) => ({
    path: `${workdir}/${relative(exampleDir, path)}`,
    data: new Uint8Array(readFileSync(path)).buffer, // a copy: small Buffers share one pool
  }))
  await sandbox.files.write(files)
  console.log(`uploaded ${files.map((f) => relative(workdir, f.path)).join(', ')}`)
  console.log(`running: ${command}`)
  let result
  try {
    result = await sandbox.commands.run(command, { cwd: workdir, timeoutMs: 60_000 })
  } catch (err) {
    if (!(err instanceof CommandExitError)) throw err
    result = err
  }
  console.log(`exit code ${result.exitCode}`)
  if (result.stdout) console.log(`stdout:\n${result.stdout.trimEnd()}`)
  if (result.stderr) console.log(`stderr:\n${result.stderr.trimEnd()}`)
  for (const name of ['metrics.json', 'correct.json']) {
    const path = `${workdir}/results/${name}`
    if (await sandbox.files.exists(path)) console.log(`results/${name}:\n${await sandbox.files.read(path)}`)
  }
  process.exitCode = result.exitCode === 0 ? 0 : 1
} finally {
  await sandbox.kill()
  console.log(`sandbox ${sandbox.sandboxId} killed`)
}
