// Sandboxes a test file creates through the official SDK, killed when the file's tests are done.
import { after } from 'node:test'
import { Sandbox } from 'e2b'

const created = []

/** Creates a sandbox (Sandbox.create's arguments: template and/or options) that is killed after the file's tests. */
export async function sandbox(...args) {
  const sbx = await Sandbox.create(...args)
  created.push(sbx.sandboxId)
  return sbx
}

/** Kills, after the file's tests, a sandbox made some other way (a fork). */
export function killAfterwards(sandboxId) {
  created.push(sandboxId)
}

after(async () => {
  for (const id of created) await Sandbox.kill(id)
})
