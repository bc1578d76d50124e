import { describe, expect, it } from '@jest/globals'
import { READ_ONLY_PERMISSION } from '../../src/opencode/config.js'
import { mayRead, parseReadRules } from '../../src/search/read-rules.js'

describe('the read rules', () => {
  const rules = parseReadRules(
    JSON.stringify({ ...READ_ONLY_PERMISSION.read, 'docs/out': 'deny', 'docs/out/*': 'deny' })
  )

  it('allow what OpenCode’s read tool would show, the last matching rule winning', () => {
    for (const file of ['src/app.ts', '.env.example', 'config/.env.example', 'docs/outline.md'])
      expect(mayRead(rules, file)).toBe(true)
    for (const file of ['.env', 'config/prod.env', '.env.local', 'a/.env.production', '.git/config', 'sub/.git/HEAD'])
      expect(mayRead(rules, file)).toBe(false)
    expect(mayRead(rules, 'docs/out/secret.txt')).toBe(false)
  })

  it('read nothing no rule allows', () => {
    expect(mayRead(parseReadRules('{"src/*": "allow"}'), 'lib/x.ts')).toBe(false)
  })

  it('say what is wrong with rules that are not an object of allow and deny', () => {
    expect(() => parseReadRules('')).toThrow(/must be a JSON object of patterns to "allow" or "deny", not: $/)
    expect(() => parseReadRules('["*"]')).toThrow(/must be a JSON object/)
    expect(() => parseReadRules('{"*": "ask"}')).toThrow(`The read rule for '*' must be "allow" or "deny", not "ask".`)
  })
})
