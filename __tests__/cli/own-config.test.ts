import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseCliArgs } from '../../src/cli/args.js'
import { withOwnConfig } from '../../src/cli/own-config.js'
import { buildOpencodeConfig, PROVIDER_HEADER_TIMEOUT_MS, READ_ONLY_PERMISSION } from '../../src/opencode/config.js'

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

describe('withOwnConfig: the model', () => {
  it('refuses when nothing names a model, before anything starts, and says where to name one', () => {
    // A provider configured is not a model chosen: OpenCode would pick one of its models by itself.
    writeFileSync(
      path.join(own.config, 'opencode.json'),
      JSON.stringify({ provider: { ollama: { options: { baseURL: 'http://localhost:11434/v1' } } } })
    )

    expect(() => withOwnConfig(settings(), own, { OPENCODE_CONFIG_CONTENT: '{"share": "disabled"}' })).toThrow(
      `No model to review with: pass --model provider/model (for example --model anthropic/claude-sonnet-4-5), or set "model" in your OpenCode config (${path.join(dir, 'opencode.json')}, the file OPENCODE_CONFIG names, or OPENCODE_CONFIG_CONTENT) or in --config.`
    )
  })

  it.each([
    ['--model', () => settings('--model', 'fake/model'), {}],
    ['--config', () => settings('--config', '{"model":"fake/model"}'), {}],
    [
      "the reviewing agent's own model in --config",
      () => settings('--agent', 'mine', '--config', '{"agent":{"mine":{"model":"fake/model"}}}'),
      {}
    ],
    ['OPENCODE_CONFIG_CONTENT', () => settings(), { OPENCODE_CONFIG_CONTENT: '{"model":"fake/model"}' }],
    [
      'a global config file',
      () => (writeFileSync(path.join(own.config, 'config.json'), '{"model":"fake/model"}'), settings()),
      {}
    ],
    [
      'the file OPENCODE_CONFIG names',
      () => (writeFileSync(path.join(dir, 'mine.json'), '{"model":"fake/model"}'), settings()),
      { OPENCODE_CONFIG: 'mine.json' }
    ]
  ])('takes a model named by %s', (_where, given, env: NodeJS.ProcessEnv) => {
    const resolved = {
      ...env,
      ...(env.OPENCODE_CONFIG ? { OPENCODE_CONFIG: path.join(dir, env.OPENCODE_CONFIG) } : {})
    }
    expect(() => withOwnConfig(given(), own, resolved)).not.toThrow()
  })

  it("does not take another agent's model for the reviewer's", () => {
    expect(() => withOwnConfig(settings('--config', '{"agent":{"build":{"model":"fake/model"}}}'), own, {})).toThrow(
      'No model to review with'
    )
  })

  it('refuses an OPENCODE_CONFIG_CONTENT that is not a JSON object, as OpenCode would', () => {
    expect(() => withOwnConfig(settings('--model', 'fake/model'), own, { OPENCODE_CONFIG_CONTENT: '{ nope' })).toThrow(
      'OPENCODE_CONFIG_CONTENT is not valid JSON'
    )
    expect(() => withOwnConfig(settings('--model', 'fake/model'), own, { OPENCODE_CONFIG_CONTENT: '[1]' })).toThrow(
      'OPENCODE_CONFIG_CONTENT must be a JSON object'
    )
  })
})

describe("withOwnConfig: the developer's OPENCODE_CONFIG_CONTENT", () => {
  const content = JSON.stringify({
    model: 'gateway/big',
    provider: { gateway: { npm: '@ai-sdk/openai-compatible', options: { baseURL: 'http://gateway.local/v1' } } },
    // What the reviewer's rules must override.
    share: 'auto',
    permission: { bash: 'allow', edit: 'allow' },
    agent: { 'pr-reviewer': { permission: { bash: 'allow' } } }
  })

  it('goes under --config, its settings kept where --config sets none', () => {
    const merged = withOwnConfig(settings('--config', '{"provider":{"gateway":{"options":{"apiKey":"k"}}}}'), own, {
      OPENCODE_CONFIG_CONTENT: content
    }).config

    expect(merged).toMatchObject({
      model: 'gateway/big',
      provider: {
        gateway: { npm: '@ai-sdk/openai-compatible', options: { baseURL: 'http://gateway.local/v1', apiKey: 'k' } }
      }
    })
  })

  it("is overridden by --config's model, and the reviewer's rules go on top of both", () => {
    const given = withOwnConfig(settings('--config', '{"model":"gateway/small"}'), own, {
      OPENCODE_CONFIG_CONTENT: content
    })
    const server = JSON.parse(buildOpencodeConfig(given).config) as Record<string, unknown>

    expect(server).toMatchObject({ model: 'gateway/small', share: 'disabled', permission: READ_ONLY_PERMISSION })
    expect((server.agent as Record<string, { permission: unknown }>)['pr-reviewer'].permission).toEqual(
      READ_ONLY_PERMISSION
    )
  })
})

describe('withOwnConfig: the header limit', () => {
  it("limits the headers of the provider of the model the developer's global config names, comments and all", () => {
    writeFileSync(path.join(own.config, 'opencode.json'), JSON.stringify({ model: 'local/first' }))
    writeFileSync(
      path.join(own.config, 'opencode.jsonc'),
      '{\n  // the one I use\n  "model": "ollama/qwen",\n  "provider": { "ollama": { "options": { "baseURL": "http://localhost:11434/v1" } } },\n}\n'
    )

    expect(withOwnConfig(settings(), own, {}).config).toEqual({ provider: { ollama: limit } })
  })

  it('takes the model of the file OPENCODE_CONFIG names over the global ones, under --config', () => {
    writeFileSync(path.join(own.config, 'opencode.json'), JSON.stringify({ model: 'local/first' }))
    const custom = path.join(dir, 'custom.json')
    writeFileSync(custom, JSON.stringify({ model: 'custom/model' }))

    const limited = withOwnConfig(
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

    expect(withOwnConfig(settings(), own, {})).toEqual(settings())
    expect(withOwnConfig(given, own, {})).toEqual(given)
  })

  it('reads past a config file it cannot parse, and a file OPENCODE_CONFIG names that is missing', () => {
    writeFileSync(path.join(own.config, 'opencode.json'), '{ not json')
    writeFileSync(path.join(own.config, 'config.json'), '{"model":"ollama/qwen"}')

    expect(withOwnConfig(settings(), own, { OPENCODE_CONFIG: path.join(dir, 'missing.json') }).config).toEqual({
      provider: { ollama: limit }
    })
  })
})
