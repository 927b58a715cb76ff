// The official E2B JS SDK, unmodified, against the local E2B server: a sandbox behaves like one machine.
// Run by E2bSdkCompatibilityTest with E2B_API_KEY, E2B_API_URL, E2B_SANDBOX_URL and E2B_DOMAIN set
// (E2B_DOMAIN=localhost:<port>, so that getHost(port) names the local server).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { Sandbox, CommandExitError } from 'e2b'
import { sandbox, killAfterwards } from './sandboxes.mjs'


const awaitPort = (port) => `python3 -c "import socket,time
for _ in range(100):
  try: socket.create_connection(('127.0.0.1', ${port})).close(); break
  except OSError: time.sleep(0.05)"`

// <port>-<id>.localhost resolves to the loopback, as curl and browsers resolve *.localhost.
function get(url) {
  const lookup = (host, options, callback) =>
    options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4)
  return new Promise((resolve, reject) => {
    http.get(url, { lookup }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode, body }))
    }).on('error', reject)
  })
}

test('a background server is fetched by the next command and through getHost(port)', async () => {
  const sbx = await sandbox()
  await sbx.files.write('/home/user/www/index.txt', 'hello\n')
  await sbx.commands.run('cd /home/user/www && python3 -m http.server 8000', { background: true, timeoutMs: 0 })
  await sbx.commands.run(awaitPort(8000))
  const fetched = await sbx.commands.run(
    `python3 -c "import urllib.request;print(urllib.request.urlopen('http://127.0.0.1:8000/index.txt').read().decode(), end='')"`)
  assert.equal(fetched.stdout, 'hello\n')

  assert.match(sbx.getHost(8000), new RegExp(`^8000-${sbx.sandboxId}\\.localhost:\\d+$`))
  assert.deepEqual(await get(`http://${sbx.getHost(8000)}/index.txt`), { status: 200, body: 'hello\n' })
  const closed = await get(`http://${sbx.getHost(8001)}/`)
  assert.equal(closed.status, 502)
  assert.equal(JSON.parse(closed.body).message, 'The sandbox is running but port is not open')
})

test('ps in one command sees a process started by another, and kill ends it', async () => {
  const sbx = await sandbox()
  const sleeper = await sbx.commands.run('sleep 300', { background: true, timeoutMs: 0 })
  const ps = await sbx.commands.run('ps -eo pid=,args=')
  assert.ok(ps.stdout.split('\n').some((line) => line.trim() === `${sleeper.pid} sleep 300`), ps.stdout)
  await sbx.commands.run(`kill ${sleeper.pid}`)
  await assert.rejects(sleeper.wait(), CommandExitError)
  assert.ok(!(await sbx.commands.list()).some((p) => p.pid === sleeper.pid))
})

test('sudo runs as root', async () => {
  const sbx = await sandbox()
  assert.equal((await sbx.commands.run('whoami; sudo whoami')).stdout, 'user\nroot\n')
})

test('pause keeps a running process, and connect finds it still running', async () => {
  const sbx = await sandbox()
  const counter = await sbx.commands.run('i=0; while true; do i=$((i+1)); echo $i > /home/user/count; sleep 0.1; done',
    { background: true, timeoutMs: 0 })
  await sbx.pause()
  const resumed = await Sandbox.connect(sbx.sandboxId)
  assert.ok((await resumed.commands.list()).some((p) => p.pid === counter.pid), 'the counter survived the pause')
  const before = Number(await resumed.files.read('/home/user/count'))
  await new Promise((resolve) => setTimeout(resolve, 500))
  assert.ok(Number(await resumed.files.read('/home/user/count')) > before, 'and counts on')
})

test('a fork starts with the files and then goes its own way', async () => {
  const sbx = await sandbox()
  await sbx.files.write('/home/user/shared.txt', 'before')
  const [fork] = await sbx.fork({ count: 1 })
  assert.ok(fork instanceof Sandbox)
  killAfterwards(fork.sandboxId)
  assert.equal(await fork.files.read('/home/user/shared.txt'), 'before')
  await fork.files.write('/home/user/shared.txt', 'fork')
  assert.equal(await sbx.files.read('/home/user/shared.txt'), 'before')
})

test('metrics report the memory of a busy sandbox', async () => {
  const sbx = await sandbox()
  await sbx.commands.run(`python3 -c "data = b'x' * (64 << 20)
while True: pass"`, { background: true, timeoutMs: 0 })
  await new Promise((resolve) => setTimeout(resolve, 500))
  const [metric] = await sbx.getMetrics()
  assert.ok(metric.memUsed > 64 * 1024 * 1024, JSON.stringify(metric))
  assert.ok(metric.cpuUsedPct > 0, JSON.stringify(metric))
  assert.equal(metric.cpuCount, 2)
})

test('killing the sandbox during commands.run raises the SDK\'s sandbox-killed error', async () => {
  const sbx = await Sandbox.create()
  const outcome = sbx.commands.run('sleep 300', { timeoutMs: 0 }).then(() => null, (err) => err)
  await new Promise((resolve) => setTimeout(resolve, 500))
  await Sandbox.kill(sbx.sandboxId)
  const err = await outcome
  assert.equal(err?.name, 'TimeoutError', `${err}`)
  assert.match(err.message, /The sandbox was killed/)
})
