// The official E2B JS SDK, unmodified, against the local E2B server: snapshots keep a sandbox's files
// (installed packages included) for new sandboxes to start from.
// Run by E2bSdkCompatibilityTest with E2B_API_KEY, E2B_API_URL and E2B_SANDBOX_URL set.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Sandbox, SandboxError } from 'e2b'
import { sandbox } from './sandboxes.mjs'

const uniqueName = () => `deps-${randomUUID().slice(0, 8)}`

test('createSnapshot keeps installed packages and Sandbox.create(snapshotId) starts with them', async () => {
  const sbx = await sandbox()
  await sbx.commands.run('python -m pip install -q --no-input --disable-pip-version-check e2bjobs-probe')
  await sbx.files.write('/home/user/data.txt', 'kept')
  const snapshot = await sbx.createSnapshot()
  assert.match(snapshot.snapshotId, /^[a-z0-9]{20}:default$/)
  assert.deepEqual(snapshot.names, [])

  const started = await sandbox(snapshot.snapshotId)
  assert.equal(await started.files.read('/home/user/data.txt'), 'kept')
  assert.equal((await started.commands.run('python -c "import e2bjobs_probe; print(e2bjobs_probe.VALUE)"')).stdout, '42\n')
  assert.equal((await sbx.commands.run('echo still running')).stdout, 'still running\n')
})

test('a named snapshot starts sandboxes by its name and is listed by sandbox and by name', async () => {
  const sbx = await sandbox()
  const name = uniqueName()
  const named = await sbx.createSnapshot({ name })
  assert.deepEqual(named, { snapshotId: `local/${name}:default`, names: [`local/${name}`] })
  const unnamed = await sbx.createSnapshot()
  assert.equal(await (await sandbox(name)).files.exists('/home/user'), true)

  const paginator = sbx.listSnapshots({ limit: 1 })
  const listed = []
  while (paginator.hasNext) listed.push(...(await paginator.nextItems()))
  assert.deepEqual(listed.map((s) => s.snapshotId), [unnamed.snapshotId, named.snapshotId], 'newest first, a page at a time')
  assert.deepEqual(await Sandbox.listSnapshots({ name }).nextItems(), [named])
})

test('deleteSnapshot deletes it once, and creating from it fails as from an unknown template', async () => {
  const sbx = await sandbox()
  const { snapshotId } = await sbx.createSnapshot({ name: uniqueName() })
  assert.equal(await Sandbox.deleteSnapshot(snapshotId), true)
  assert.equal(await Sandbox.deleteSnapshot(snapshotId), false)
  const err = await Sandbox.create(snapshotId).then(() => null, (e) => e)
  assert.ok(err instanceof SandboxError, `${err}`)
  assert.equal(err.statusCode, 404)
  assert.match(err.message, /template 'local\/deps-[a-z0-9]+' not found/)
  assert.deepEqual(await sbx.listSnapshots().nextItems(), [])
})
