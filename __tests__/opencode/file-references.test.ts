import { describe, expect, it } from '@jest/globals'
import os from 'node:os'
import path from 'node:path'
import { fileReferences, refusePullRequestFileReferences } from '../../src/opencode/file-references.js'

const checkout = path.join(os.tmpdir(), 'checkout')
const config = (reference: string) => JSON.stringify({ agent: { house: { prompt: `{file:${reference}}` } } })

describe('{file:} references in an OpenCode config', () => {
  it('are found as OpenCode reads them', () => {
    expect(fileReferences('{"a": "{file:./x.md}", "b": "{file:/etc/y} and {env:HOME}"}')).toEqual(['./x.md', '/etc/y'])
  })

  it.each(['prompt.md', './prompt.md', '../../workspace/prompt.md', path.join(checkout, 'prompt.md'), checkout])(
    'refuses %s, which names a pull request’s file or none',
    (reference) => {
      expect(() => refusePullRequestFileReferences(config(reference), checkout)).toThrow(`names {file:${reference}}`)
    }
  )

  it('keeps an absolute path outside the checkout, or one in the home', () => {
    for (const reference of [path.join(os.tmpdir(), 'runner-temp/prompt.md'), '~/prompts/review.md'])
      expect(() => refusePullRequestFileReferences(config(reference), checkout)).not.toThrow()
  })
})
