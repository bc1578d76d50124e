import { describe, expect, it } from '@jest/globals'
import { parseGolden } from '../../src/eval/golden.js'

describe('parseGolden', () => {
  it('reads the Martian offline format, naming each pull request by its repository', () => {
    const text = JSON.stringify([
      {
        pr_title: 'Anonymous: Add configurable device limit',
        url: 'https://github.com/grafana/grafana/pull/79265',
        original_url: 'https://github.com/grafana/grafana/pull/1',
        comments: [{ comment: 'Race condition in the device count check.', severity: 'High' }]
      },
      { pr_title: 'Local', url: '/tmp/fixture/app.git/pull/2/', comments: [] }
    ])
    expect(parseGolden(text, 'golden.json')).toEqual([
      {
        title: 'Anonymous: Add configurable device limit',
        url: 'https://github.com/grafana/grafana/pull/79265',
        repository: 'https://github.com/grafana/grafana',
        name: 'grafana/grafana',
        number: 79265,
        comments: [{ comment: 'Race condition in the device count check.', severity: 'High' }]
      },
      {
        title: 'Local',
        url: '/tmp/fixture/app.git/pull/2/',
        repository: 'file:///tmp/fixture/app.git',
        name: 'local/app',
        number: 2,
        comments: []
      }
    ])
  })

  it.each([
    ['{', 'The golden file g.json is not JSON'],
    ['{}', 'The golden file g.json must hold a JSON array of pull requests.'],
    [
      '[{"url": "https://github.com/o/r/issues/1", "comments": []}]',
      "g.json, pull request 1: 'url' must be a pull request URL"
    ],
    ['[{"url": "https://github.com/o/r/pull/1"}]', "g.json, pull request 1: 'comments' must be an array"],
    [
      '[{"url": "https://github.com/o/r/pull/1", "comments": [{"severity": "High"}]}]',
      "g.json, pull request 1, comment 1: 'comment' must be a non-empty string."
    ]
  ])('rejects %s clearly', (text, message) => {
    expect(() => parseGolden(text, 'g.json')).toThrow(message)
  })
})
