import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** An npm registry on loopback that records what is asked of it and has only the `packuments` given (404 otherwise). */
export interface FakeRegistry {
  /** For `npm_config_registry` or a `.npmrc`'s `registry=`. */
  url: string
  requests: string[]
  close(): Promise<void>
}

export async function startRegistry(packuments: Record<string, unknown> = {}): Promise<FakeRegistry> {
  const requests: string[] = []
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`)
    const packument = packuments[decodeURIComponent((req.url ?? '/').slice(1))]
    if (packument === undefined) return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
