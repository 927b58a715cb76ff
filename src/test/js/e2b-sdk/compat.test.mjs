// The official E2B JS SDK, unmodified, against the local E2B server.
// Run by E2bSdkCompatibilityTest with E2B_API_KEY, E2B_API_URL and E2B_SANDBOX_URL set.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Sandbox, CommandExitError, NotFoundError } from 'e2b'
import { sandbox } from './sandboxes.mjs'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

test('create with metadata and envs', async () => {
  const sbx = await sandbox({ metadata: { user: 'a b', 'k&=': 'v/1' }, envs: { FOO: 'bar' } })
  const info = await sbx.getInfo()
  assert.equal(info.sandboxId, sbx.sandboxId)
  assert.deepEqual(info.metadata, { user: 'a b', 'k&=': 'v/1' })
  assert.equal(info.state, 'running')
  const run = await sbx.commands.run('echo "$FOO"')
  assert.equal(run.stdout, 'bar\n')
})

test('write one and several files, read text and bytes', async () => {
  const sbx = await sandbox()
  const one = await sbx.files.write('/home/user/one.txt', 'hello\n')
  assert.equal(one.path, '/home/user/one.txt')
  const many = await sbx.files.write([
    { path: 'pkg/a.py', data: 'A = 1\n' },
    { path: '/home/user/pkg/b.py', data: 'B = 2\n' },
  ])
  assert.deepEqual(many.map((e) => e.path), ['/home/user/pkg/a.py', '/home/user/pkg/b.py'])
  assert.equal(await sbx.files.read('one.txt'), 'hello\n')
  assert.equal(await sbx.files.read('/home/user/pkg/a.py'), 'A = 1\n')

  const binary = Uint8Array.from({ length: 256 }, (_, i) => i)
  await sbx.files.write('/home/user/data.bin', binary.buffer)
  const bytes = await sbx.files.read('/home/user/data.bin', { format: 'bytes' })
  assert.deepEqual(Array.from(bytes), Array.from(binary))

  const listed = await sbx.files.list('/home/user/pkg')
  assert.deepEqual(listed.map((e) => e.name).sort(), ['a.py', 'b.py'])
  assert.equal(await sbx.files.exists('/home/user/pkg/b.py'), true)
  assert.equal(await sbx.files.exists('/home/user/pkg/c.py'), false)
})

test('reading a missing file is a not-found error', async () => {
  const sbx = await sandbox()
  await assert.rejects(sbx.files.read('/home/user/missing.txt'), NotFoundError)
})

test('run a command: stdout and exit code', async () => {
  const sbx = await sandbox()
  const result = await sbx.commands.run('python -c "print(6 * 7)" && python3 --version')
  assert.equal(result.exitCode, 0)
  assert.match(result.stdout, /^42\nPython 3\./)
})

test('a failing command throws CommandExitError', async () => {
  const sbx = await sandbox()
  await assert.rejects(sbx.commands.run('echo oops >&2; exit 3'), (err) => {
    assert.ok(err instanceof CommandExitError)
    assert.equal(err.exitCode, 3)
    assert.equal(err.stderr, 'oops\n')
    return true
  })
})

test('run in the background and wait', async () => {
  const sbx = await sandbox()
  const handle = await sbx.commands.run('sleep 1; echo done', { background: true })
  assert.ok(handle.pid > 0)
  const running = await sbx.commands.list()
  assert.ok(running.some((p) => p.pid === handle.pid))
  const result = await handle.wait()
  assert.equal(result.exitCode, 0)
  assert.equal(result.stdout, 'done\n')
})

test('list by metadata with pagination', async () => {
  const suite = randomUUID()
  const ids = []
  for (let i = 0; i < 3; i++) ids.push((await sandbox({ metadata: { suite, n: String(i) } })).sandboxId)
  await sandbox({ metadata: { suite: 'someone-else' } })

  const paginator = Sandbox.list({ query: { metadata: { suite } }, limit: 2 })
  const first = await paginator.nextItems()
  assert.equal(first.length, 2)
  assert.equal(paginator.hasNext, true)
  const second = await paginator.nextItems()
  assert.equal(second.length, 1)
  assert.equal(paginator.hasNext, false)
  assert.deepEqual([...first, ...second].map((s) => s.sandboxId).sort(), [...ids].sort())
})

test('a short timeout ends the sandbox', async () => {
  const sbx = await sandbox()
  await sbx.setTimeout(1000)
  await sleep(2500)
  assert.equal(await sbx.isRunning(), false)
  await assert.rejects(Sandbox.getInfo(sbx.sandboxId), NotFoundError)
})

test('signed download and upload URLs work without the SDK\'s headers', async () => {
  const sbx = await sandbox()
  await sbx.files.write('/home/user/shared.txt', 'shared\n')
  const download = await fetch(await sbx.downloadUrl('/home/user/shared.txt'))
  assert.equal(download.status, 200)
  assert.equal(await download.text(), 'shared\n')

  const form = new FormData()
  form.append('file', new Blob(['uploaded\n']), 'uploaded.txt')
  const upload = await fetch(await sbx.uploadUrl('/home/user/uploaded.txt'), { method: 'POST', body: form })
  assert.equal(upload.status, 200)
  assert.equal(await sbx.files.read('/home/user/uploaded.txt'), 'uploaded\n')
})

test('signed URLs expire', async () => {
  const sbx = await sandbox()
  await sbx.files.write('/home/user/brief.txt', 'brief\n')
  const url = await sbx.downloadUrl('/home/user/brief.txt', { useSignatureExpiration: 1 })
  assert.equal((await fetch(url)).status, 200)
  await sleep(2100)
  const expired = await fetch(url)
  assert.equal(expired.status, 401)
  assert.deepEqual(await expired.json(), { code: 401, message: 'signature is already expired' })
})

test('file metadata round-trips through write, list, getInfo and rename', async () => {
  const sbx = await sandbox()
  const expected = { author: 'mish', stage: 'draft' }
  const written = await sbx.files.write('/home/user/docs/report.txt', 'numbers\n', { metadata: { Author: 'mish', stage: 'draft' } })
  assert.deepEqual(written.metadata, expected)
  assert.deepEqual((await sbx.files.getInfo('/home/user/docs/report.txt')).metadata, expected)
  assert.deepEqual((await sbx.files.list('/home/user/docs')).map((e) => e.metadata), [expected])
  const renamed = await sbx.files.rename('/home/user/docs/report.txt', '/home/user/docs/final.txt')
  assert.deepEqual(renamed.metadata, expected)

  await sbx.files.write('/home/user/docs/final.txt', 'v2\n', { metadata: { stage: 'final' } })
  assert.deepEqual((await sbx.files.getInfo('/home/user/docs/final.txt')).metadata, { stage: 'final' })
})

test('watchDir reports what the file API and commands do, recursively', async () => {
  const sbx = await sandbox()
  await assert.rejects(sbx.files.watchDir('/home/user/watched', () => {}), NotFoundError)
  await sbx.files.makeDir('/home/user/watched')
  const seen = []
  const handle = await sbx.files.watchDir('/home/user/watched', (e) => seen.push(`${e.type} ${e.name}`), { recursive: true })
  const saw = async (event) => {
    for (let waited = 0; !seen.includes(event); waited += 50) {
      if (waited > 5000) assert.fail(`no "${event}" event; saw ${JSON.stringify(seen)}`)
      await sleep(50)
    }
  }
  await sbx.files.write('/home/user/watched/api.txt', 'one\n')
  await saw('create api.txt')
  await saw('write api.txt')
  await sbx.commands.run('mkdir /home/user/watched/sub')
  await saw('create sub')
  await sbx.commands.run('echo two > /home/user/watched/sub/cmd.txt')
  await saw('create sub/cmd.txt')
  await saw('write sub/cmd.txt')
  await sbx.files.write('/home/user/watched/sub/api.txt', 'three\n')
  await saw('write sub/api.txt')
  await sbx.files.remove('/home/user/watched/api.txt')
  await saw('remove api.txt')
  await sbx.commands.run('rm /home/user/watched/sub/cmd.txt')
  await saw('remove sub/cmd.txt')
  await handle.stop()
})

test('kill, and kill again', async () => {
  const sbx = await Sandbox.create()
  assert.equal(await sbx.kill(), true)
  assert.equal(await Sandbox.kill(sbx.sandboxId), false)
})
