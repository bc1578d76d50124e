import { basicAuthorization, type OpencodeServer } from '../src/opencode/server.js'
import { FAKE_MODEL, FAKE_PROVIDER } from './fake-model.js'

/** Sends `text` in a new session of a real server, to the stand-in model (and `agent` if given); its HTTP status. */
export async function sendMessage(server: OpencodeServer, text: string, agent?: string): Promise<number> {
  const headers = { authorization: basicAuthorization(server.password), 'content-type': 'application/json' }
  const session = (await (await fetch(`${server.url}/session`, { method: 'POST', headers, body: '{}' })).json()) as {
    id: string
  }
  const answered = await fetch(`${server.url}/session/${session.id}/message`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      ...(agent ? { agent } : {}),
      model: { providerID: FAKE_PROVIDER, modelID: FAKE_MODEL },
      parts: [{ type: 'text', text }]
    })
  })
  await answered.arrayBuffer()
  return answered.status
}
