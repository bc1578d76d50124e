import { describe, expect, it } from '@jest/globals'
import type { Part } from '@opencode-ai/sdk/v2/client'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { reviewMarkdown, supportsStructuredOutput } from '../../src/opencode/review.js'
import type { OpencodeServer } from '../../src/opencode/server.js'

const base = { sessionID: 'ses_1', messageID: 'msg_1' }

describe('reviewMarkdown', () => {
  it('joins the text parts and drops reasoning, tools and what OpenCode added itself', () => {
    const parts = [
      { ...base, id: 'prt_1', type: 'reasoning', text: 'thinking…', time: { start: 0 } },
      { ...base, id: 'prt_2', type: 'text', text: '## Summary\n' },
      { ...base, id: 'prt_3', type: 'text', text: 'synthetic note', synthetic: true },
      { ...base, id: 'prt_4', type: 'text', text: 'ignored', ignored: true },
      { ...base, id: 'prt_5', type: 'text', text: '  ' },
      { ...base, id: 'prt_6', type: 'text', text: 'Looks good.' }
    ] as Part[]
    expect(reviewMarkdown(parts)).toBe('## Summary\n\nLooks good.')
  })

  it('is empty when the model said nothing', () => {
    expect(reviewMarkdown([])).toBe('')
  })
})

describe('supportsStructuredOutput', () => {
  /** A server whose API description does or does not offer `json_schema`, counting how often it is asked. */
  async function serverWithDoc(doc: string, version: string): Promise<{ server: OpencodeServer; asked: () => number; close: () => Promise<void> }> {
    let asked = 0
    const listener = http.createServer((request, response) => {
      if (request.url === '/doc') asked++
      response.writeHead(request.url === '/doc' ? 200 : 404, { 'content-type': 'application/json' }).end(doc)
    })
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
    const server = { url, password: 'p', pid: 1, version, onCancel: () => () => undefined, stop: async () => undefined } as OpencodeServer
    return { server, asked: () => asked, close: () => new Promise((resolve) => listener.close(() => resolve())) }
  }

  it('trusts the tested release and later ones without the 2 s the API description costs', async () => {
    for (const version of ['1.18.33', '1.18.40', '1.19.0', '2.0.0']) {
      const fake = await serverWithDoc('{}', version)
      await expect(supportsStructuredOutput(fake.server)).resolves.toBe(true)
      expect(fake.asked()).toBe(0)
      await fake.close()
    }
  })

  it("asks an older or unknown release's API description", async () => {
    const withSchema = await serverWithDoc('{"OutputFormatJsonSchema": {"type": "json_schema"}}', '1.17.2')
    await expect(supportsStructuredOutput(withSchema.server)).resolves.toBe(true)
    expect(withSchema.asked()).toBe(1)
    await withSchema.close()
    const without = await serverWithDoc('{"paths": {}}', 'local-build')
    await expect(supportsStructuredOutput(without.server)).resolves.toBe(false)
    expect(without.asked()).toBe(1)
    await without.close()
  })
})
