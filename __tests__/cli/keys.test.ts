import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseCliArgs } from '../../src/cli/args.js'
import { requireProviderKeys } from '../../src/cli/keys.js'
import { withOwnConfig } from '../../src/cli/own-config.js'
import { parseModel } from '../../src/settings.js'

const noFile = (file: string): string => {
  throw new Error(`unexpected read of ${file}`)
}
const settings = (...argv: string[]) => parseCliArgs(argv, noFile)!.settings

let dir: string
let own: { config: string; data: string }

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cli-keys-'))
  own = { config: path.join(dir, 'config'), data: path.join(dir, 'data') }
  mkdirSync(own.config)
  mkdirSync(own.data)
})

afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe("the command's provider keys", () => {
  it('says how a shell gives the missing key, and what it checked', () => {
    expect(() => requireProviderKeys(settings('--model', 'anthropic/claude-sonnet-4-5'), own, {})).toThrow(
      "No key for anthropic/claude-sonnet-4-5: provider 'anthropic' reads it from ANTHROPIC_API_KEY, which is not set (checked: the environment, and your OpenCode config has no apiKey for 'anthropic'). Set it for one run (`ANTHROPIC_API_KEY=... npx opencode-pr-review ...`) or in your shell (`export ANTHROPIC_API_KEY=...`), or log in with `opencode auth login`."
    )
    expect(() =>
      requireProviderKeys(settings('--model', 'anthropic/claude-sonnet-4-5'), own, { ANTHROPIC_API_KEY: 'sk-ant' })
    ).not.toThrow()
  })

  it('takes a login OpenCode keeps in auth.json', () => {
    writeFileSync(path.join(own.data, 'auth.json'), JSON.stringify({ anthropic: { type: 'oauth', refresh: 'r' } }))
    expect(() => requireProviderKeys(settings('--model', 'anthropic/claude-sonnet-4-5'), own, {})).not.toThrow()
  })

  it("checks the model the developer's config names, with the key that config or OPENCODE_CONFIG_CONTENT gives", () => {
    writeFileSync(path.join(own.config, 'opencode.json'), JSON.stringify({ model: 'openai/gpt-5' }))
    // As the command calls it: with the developer's own config (withOwnConfig).
    const check = (env: NodeJS.ProcessEnv) => () => requireProviderKeys(withOwnConfig(settings(), own, env), own, env)
    expect(check({})).toThrow('No key for openai/gpt-5:')
    const content = JSON.stringify({ provider: { openai: { options: { apiKey: 'sk-inline' } } } })
    expect(check({ OPENCODE_CONFIG_CONTENT: content })).not.toThrow()
    writeFileSync(
      path.join(own.config, 'opencode.json'),
      JSON.stringify({ model: 'openai/gpt-5', provider: { openai: { options: { apiKey: '{file:~/.openai}' } } } })
    )
    expect(check({})).not.toThrow()
  })

  it("checks the judge's model too", () => {
    expect(() =>
      requireProviderKeys(settings('--model', 'anthropic/claude-sonnet-4-5'), own, { ANTHROPIC_API_KEY: 'sk-ant' }, [
        parseModel('openai/gpt-5')
      ])
    ).toThrow(/^No key for openai\/gpt-5: .*`export OPENAI_API_KEY=\.\.\.`/)
  })
})
