import { describe, expect, it } from '@jest/globals'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseCliArgs, parseEvalArgs, parsePullRequestRef, readConfigArgument, USAGE } from '../../src/cli/args.js'
import { ActionError } from '../../src/errors.js'
import { PUBLISHED_GOLDEN } from '../../src/eval/golden.js'

const noFile = (file: string): string => {
  throw new Error(`unexpected read of ${file}`)
}

describe('parseCliArgs', () => {
  it('has defaults that match the action', () => {
    expect(parseCliArgs([], noFile)).toEqual({
      base: undefined,
      pullRequest: undefined,
      post: false,
      json: false,
      settings: {
        model: undefined,
        fallbackModel: undefined,
        synthesisModel: undefined,
        language: undefined,
        prompt: '',
        config: {},
        opencodeVersion: '1.18.33',
        commentMode: 'review',
        exclude: [],
        maxDiffChars: 150_000,
        maxTotalChars: 2_000_000,
        maxSessions: 4,
        startupTimeoutMs: 60_000,
        reviewTimeoutMs: 600_000,
        agent: undefined,
        variant: undefined,
        allowAgentTools: false,
        inlineComments: true,
        maxFindings: 10,
        verify: false,
        walkthrough: true,
        describe: false,
        conventions: ['opencode-review', 'agents-md', 'claude-md', 'copilot-instructions', 'path-instructions'],
        resolveOutdated: true,
        minSeverity: 'low',
        minConfidence: 0,
        failOn: undefined,
        reviewEvent: 'comment',
        reviewScope: 'full',
        skipDrafts: false,
        skipAuthors: [],
        skipLabels: [],
        learn: true,
        learningsLabel: 'opencode-review-learnings'
      }
    })
  })

  it('reads every option, --config from a file with @', () => {
    const options = parseCliArgs(
      [
        '--pr',
        'octo/app#3',
        '--post',
        '--comment-mode',
        'sticky',
        '--model',
        'openai/gpt-5',
        '--fallback-model',
        'anthropic/claude-sonnet-4-5',
        '--synthesis-model',
        'openai/gpt-5-mini',
        '--language',
        'ja',
        '--config',
        '@cfg.json',
        '--exclude',
        'dist/**',
        '--exclude',
        '!dist/keep.js',
        '--max-sessions',
        '2',
        '--max-findings',
        '5',
        '--verify',
        '--min-confidence',
        '0.5',
        '--no-walkthrough',
        '--conventions',
        'claude-md,copilot-instructions',
        '--timeout',
        '30',
        '--json'
      ],
      (file) => (file === 'cfg.json' ? '{"provider": {}}' : noFile(file))
    )
    expect(options).toMatchObject({
      pullRequest: { owner: 'octo', repo: 'app', number: 3 },
      post: true,
      json: true,
      settings: {
        commentMode: 'sticky',
        model: { providerID: 'openai', modelID: 'gpt-5' },
        fallbackModel: { providerID: 'anthropic', modelID: 'claude-sonnet-4-5' },
        synthesisModel: { providerID: 'openai', modelID: 'gpt-5-mini' },
        language: 'ja',
        config: { provider: {} },
        exclude: ['dist/**', '!dist/keep.js'],
        maxSessions: 2,
        maxFindings: 5,
        verify: true,
        minConfidence: 0.5,
        walkthrough: false,
        describe: false,
        conventions: ['claude-md', 'copilot-instructions'],
        reviewTimeoutMs: 30_000
      }
    })
  })

  it('gives undefined for --help, so the usage is printed', () => {
    expect(parseCliArgs(['-h'], noFile)).toBeUndefined()
    expect(USAGE).toContain('--base <ref>')
  })

  it.each([
    [['--nope'], "Unknown option '--nope'"],
    [['--post'], '--post needs --pr'],
    [['--base', 'main', '--pr', 'a/b#1'], '--base and --pr exclude each other'],
    [['--comment-mode', 'loud', '--pr', 'a/b#1'], '--comment-mode must be one of review, sticky, comment'],
    [['--max-sessions', '0'], '--max-sessions must be a positive whole number'],
    [['--max-findings', 'ten'], '--max-findings must be a positive whole number'],
    [['--config', '{'], '--config is not valid JSON'],
    [['--config', '[]'], '--config must be a JSON object'],
    [['--model', 'claude-sonnet-4-5'], "--model must look like 'provider/model'"],
    [['--fallback-model', 'gpt-5'], "--fallback-model must look like 'provider/model'"],
    [['--language', 'en us'], '--language must be a language tag'],
    [['--min-confidence', '1.5'], '--min-confidence must be a number from 0 to 1'],
    [['--conventions', 'readme'], "--conventions must be 'true', 'false' or a list of"]
  ])('rejects %j clearly', (argv, message) => {
    expect(() => parseCliArgs(argv, noFile)).toThrow(message)
  })
})

describe('readConfigArgument', () => {
  it('reads the file --config @file names, and names it when it cannot', () => {
    const missing = path.join(tmpdir(), 'no-such-config-file.json')

    expect(() => readConfigArgument(missing)).toThrow(
      new ActionError(`--config @${missing}: cannot read ${missing}: there is no such file.`)
    )
    expect(() => readConfigArgument(tmpdir())).toThrow(
      `--config @${tmpdir()}: cannot read ${tmpdir()}: it is a folder.`
    )
  })
})

describe('parsePullRequestRef', () => {
  it('takes owner/repo#N and pull request URLs', () => {
    expect(parsePullRequestRef('octo-org/my.repo#42')).toEqual({ owner: 'octo-org', repo: 'my.repo', number: 42 })
    expect(parsePullRequestRef('https://github.com/octo/app/pull/7/')).toEqual({
      owner: 'octo',
      repo: 'app',
      number: 7
    })
    expect(() => parsePullRequestRef('octo/app')).toThrow("--pr must look like 'owner/repo#12'")
  })
})

describe('parseEvalArgs', () => {
  it('defaults to the published golden comments, the review model as judge, results per model', () => {
    const options = parseEvalArgs(['--model', 'openai/gpt-5'], noFile, '/home/dev/.cache')
    expect(options).toMatchObject({
      golden: PUBLISHED_GOLDEN,
      judgeModel: undefined,
      repo: undefined,
      limit: undefined,
      fresh: false,
      outDir: 'eval-results/openai_gpt-5',
      cacheDir: '/home/dev/.cache/opencode-pr-review/benchmark',
      settings: { model: { providerID: 'openai', modelID: 'gpt-5' }, maxFindings: 10 }
    })
    expect(PUBLISHED_GOLDEN).toHaveLength(5)
  })

  it('reads its own options and the review options', () => {
    const options = parseEvalArgs(
      [
        ...['--golden', 'a.json', '--golden', 'https://example.com/b.json', '--judge-model', 'anthropic/opus'],
        ...['--repo', 'grafana/grafana', '--limit', '3', '--out', 'out', '--cache-dir', 'cache', '--fresh'],
        ...['--max-findings', '20', '--verify']
      ],
      noFile,
      '/c'
    )
    expect(options).toMatchObject({
      golden: ['a.json', 'https://example.com/b.json'],
      judgeModel: { providerID: 'anthropic', modelID: 'opus' },
      repo: 'grafana/grafana',
      limit: 3,
      fresh: true,
      outDir: 'out',
      cacheDir: 'cache',
      settings: { maxFindings: 20, verify: true }
    })
  })

  it.each([
    [['--repo', 'grafana'], "--repo must look like 'owner/repo', got 'grafana'."],
    [['--limit', '0'], '--limit'],
    [['--judge-model', 'opus'], "--judge-model must look like 'provider/model'"],
    [['--post'], "Unknown option '--post'"]
  ])('fails clearly on %j', (args, message) => {
    expect(() => parseEvalArgs(args, noFile, '/c')).toThrow(message)
  })

  it('--help: undefined', () => {
    expect(parseEvalArgs(['--help'], noFile, '/c')).toBeUndefined()
  })
})
