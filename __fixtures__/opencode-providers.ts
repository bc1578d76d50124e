import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { basicAuthorization, startServer } from '../src/opencode/server.js'
import { ensureOpencodeBinary } from './opencode-binary.js'

export interface ProviderCredentials {
  /** The environment variables each provider reads its credentials from, by provider id. */
  env: Record<string, string[]>
  /** Providers that may answer with no key: connected with no credential at all, or served from this machine. */
  keyOptional: string[]
}

/** A model's endpoint on this machine (LM Studio's, say): a local server may want no key. */
const LOCAL_ENDPOINT = /^https?:\/\/(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])[:/]/

interface ListedProvider {
  id: string
  env: string[]
  models: Record<string, { api?: { url?: string } }>
}

/**
 * The providers the pinned `opencode` binary knows, each with the environment variables it reads the
 * provider's credentials from, as its server lists them on GET /provider, and those it connects with none
 * of them set. The server runs in an empty directory of its own with no credential, on the model catalogue
 * built into the binary: no config of this machine adds a provider, and nothing is fetched.
 * src/opencode/provider-env.ts is generated from this.
 */
export async function readProviderEnv(): Promise<ProviderCredentials> {
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
    const { all, connected } = (await response.json()) as { all: ListedProvider[]; connected: string[] }
    const local = all.filter((provider) =>
      Object.values(provider.models).some((model) => LOCAL_ENDPOINT.test(model.api?.url ?? ''))
    )
    return {
      env: Object.fromEntries(
        all.map((provider) => [provider.id, provider.env] as const).sort(([a], [b]) => a.localeCompare(b))
      ),
      keyOptional: [...new Set([...connected, ...local.map((provider) => provider.id)])].sort()
    }
  } finally {
    await server.stop()
    rmSync(home, { recursive: true, force: true })
  }
}
