import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseCliArgs } from '../../src/cli/args.js'
import { limitOwnModelHeaders } from '../../src/cli/own-config.js'
import { PROVIDER_HEADER_TIMEOUT_MS } from '../../src/opencode/config.js'

const noFile = (file: string): string => {
  throw new Error(`unexpected read of ${file}`)
}
const settings = (...argv: string[]) => parseCliArgs(argv, noFile)!.settings
const limit = { options: { headerTimeout: PROVIDER_HEADER_TIMEOUT_MS } }

let dir: string
let own: { config: string; data: string }

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'own-config-'))
  own = { config: dir, data: path.join(dir, 'data') }
})

afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('limitOwnModelHeaders', () => {
  it("limits the headers of the provider of the model the developer's global config names, comments and all", () => {
    writeFileSync(path.join(own.config, 'opencode.json'), JSON.stringify({ model: 'local/first' }))
    writeFileSync(
      path.join(own.config, 'opencode.jsonc'),
      '{\n  // the one I use\n  "model": "ollama/qwen",\n  "provider": { "ollama": { "options": { "baseURL": "http://localhost:11434/v1" } } },\n}\n'
    )

    expect(limitOwnModelHeaders(settings(), own, {}).config).toEqual({ provider: { ollama: limit } })
  })

  it('takes the model of the file OPENCODE_CONFIG names over the global ones, under --config', () => {
    writeFileSync(path.join(own.config, 'opencode.json'), JSON.stringify({ model: 'local/first' }))
    const custom = path.join(dir, 'custom.json')
    writeFileSync(custom, JSON.stringify({ model: 'custom/model' }))

    const limited = limitOwnModelHeaders(
      settings('--config', '{"provider":{"custom":{"options":{"headerTimeout":5000}}}}'),
      own,
      { OPENCODE_CONFIG: custom }
    )

    expect(limited.config).toEqual({ provider: { custom: { options: { headerTimeout: 5000 } } } })
  })

  it('leaves a limit the developer set, and settings that name a model, as they are', () => {
    writeFileSync(
      path.join(own.config, 'config.json'),
      JSON.stringify({ model: 'slow/model', provider: { slow: { options: { headerTimeout: 120_000 } } } })
    )
    const given = settings('--model', 'fake/model')

    expect(limitOwnModelHeaders(settings(), own, {})).toEqual(settings())
    expect(limitOwnModelHeaders(given, own, {})).toBe(given)
  })

  it('adds nothing when the configuration names no model or cannot be read', () => {
    writeFileSync(path.join(own.config, 'opencode.json'), '{ not json')

    expect(limitOwnModelHeaders(settings(), own, { OPENCODE_CONFIG: path.join(dir, 'missing.json') })).toEqual(
      settings()
    )
  })
})
