import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { basicAuthorization, startServer } from '../src/opencode/server.js'
import { ensureOpencodeBinary } from './opencode-binary.js'

/**
 * The providers the pinned `opencode` binary knows, each with the environment variables it reads the
 * provider's credentials from, as its server lists them on GET /provider. The server runs in an empty
 * directory of its own, on the model catalogue built into the binary: no config of this machine adds a
 * provider, and nothing is fetched. `init` (src/cli/init/provider-env.ts) is generated from this.
 */
export async function readProviderEnv(): Promise<Record<string, string[]>> {
  const home = mkdtempSync(path.join(tmpdir(), 'opencode-providers-'))
  const server = await startServer({
    binary: path.join(ensureOpencodeBinary(), 'opencode'),
    cwd: home,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, 'config'),
      XDG_DATA_HOME: path.join(home, 'data'),
      XDG_STATE_HOME: path.join(home, 'state'),
      XDG_CACHE_HOME: path.join(home, 'cache'),
      OPENCODE_DISABLE_MODELS_FETCH: 'true'
    },
    config: '{}',
    startupTimeoutMs: 60_000,
    log: { debug() {}, info() {}, notice() {}, warning() {}, mask() {}, group: (_name, work) => work() }
  })
  try {
    const response = await fetch(`${server.url}/provider`, {
      headers: { authorization: basicAuthorization(server.password) }
    })
    if (!response.ok) throw new Error(`GET /provider answered ${response.status}`)
    const { all } = (await response.json()) as { all: Array<{ id: string; env: string[] }> }
    return Object.fromEntries(
      all.map((provider) => [provider.id, provider.env] as const).sort(([a], [b]) => a.localeCompare(b))
    )
  } finally {
    await server.stop()
    rmSync(home, { recursive: true, force: true })
  }
}
