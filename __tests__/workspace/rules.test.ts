import { describe, expect, it } from '@jest/globals'
import { comparableName, hiddenReason } from '../../src/workspace/rules.js'

describe('hiddenReason', () => {
  it.each([
    ['.opencode/plugin/x.js', 'agent'],
    ['pkg/.claude/agents/a.md', 'agent'],
    ['opencode.json', 'agent'],
    ['deep/opencode.jsonc', 'agent'],
    ['AGENTS.md', 'agent'],
    ['src/CLAUDE.md', 'agent'],
    ['CONTEXT.md', 'agent'],
    ['.env', 'secret'],
    ['api/.env.local', 'secret'],
    ['config/prod.env', 'secret'],
    ['.git/config', 'git'],
    ['vendor/lib/.git/HEAD', 'git'],
    ['.env.example', undefined],
    ['config/.env.example', undefined],
    ['src/environment.ts', undefined],
    ['docs/AGENTS.md.txt', undefined],
    ['docs/outline.md', undefined],
    ['.github/workflows/ci.yml', undefined]
  ])('%s: %s', (file, reason) => {
    expect(hiddenReason(file)).toBe(reason)
  })

  // What a case-insensitive, Unicode-normalizing file system (macOS, Windows, ext4 with casefold) takes for the same name.
  it.each([
    ['docs/agents.md', 'agent'],
    ['docs/Agents.MD', 'agent'],
    ['AGENT\u017f.md', 'agent'],
    ['.OpenCode/plugin/x.ts', 'agent'],
    ['\uff21GENTS.md', 'agent'],
    ['.ENV', 'secret'],
    ['.GIT/config', 'git'],
    ['.g\u200cit/config', 'git'],
    ['.git./config', 'git'],
    ['.git /config', 'git'],
    ['GIT~1/config', 'git'],
    ['.Env.Example', undefined]
  ])('%s, as such a file system would take it: %s', (file, reason) => {
    expect(hiddenReason(file)).toBe(reason)
  })
})

describe('comparableName', () => {
  it('folds case and compatibility forms, drops ignorable code points and trailing dots and spaces', () => {
    expect(comparableName('AGENT\u017f.MD')).toBe('agents.md')
    expect(comparableName('\u212aEY')).toBe('key')
    expect(comparableName('.g\ufeffit. ')).toBe('.git')
  })
})
