import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { ChatRequest, ModelTurn } from './fake-model.js'
import { promptText } from './fake-model.js'

/**
 * A small benchmark of our own for the eval's e2e test: a local repository
 * that carries two pull requests as GitHub does (`refs/pull/N/head`) plus
 * their bases (`refs/pull/N/base`, which GitHub's API gives instead), each
 * with a seeded bug; golden comments for them in the Martian format; and the
 * stand-in model's answers: the reviewer's findings and the judge's matches.
 */

export interface SeededPullRequest {
  number: number
  title: string
  /** The changed file and its text before and after. */
  file: string
  before: string
  after: string
  golden: Array<{ comment: string; severity: string }>
  /** The reviewer's findings, as its structured answer gives them. */
  findings: Array<Record<string, unknown>>
  /** The judge's claimed matches, 1-based, as its structured answer gives them. */
  matches: Array<{ golden: number; finding: number; reasoning: string }>
}

export const SEEDED: SeededPullRequest[] = [
  {
    number: 1,
    title: 'Cart: apply the discount to the total',
    file: 'src/cart.ts',
    before:
      'export function total(prices: number[]): number {\n  return prices.reduce((sum, price) => sum + price, 0)\n}\n',
    after:
      'export function total(prices: number[], discount: number): number {\n' +
      '  let sum = 0\n' +
      '  for (let i = 1; i < prices.length; i++) sum += prices[i]\n' +
      '  return sum - sum * discount * 100\n' +
      '}\n',
    golden: [
      { comment: 'The loop starts at index 1, so the first price is never added to the total.', severity: 'High' },
      { comment: 'The discount is multiplied by 100: a 10% discount removes ten times the total.', severity: 'High' }
    ],
    findings: [
      {
        file: 'src/cart.ts',
        start_line: 3,
        end_line: 3,
        quote: '  for (let i = 1; i < prices.length; i++) sum += prices[i]',
        severity: 'high',
        title: 'The first price is skipped',
        body: 'The loop starts at 1.',
        confidence: 0.9
      },
      {
        file: 'src/cart.ts',
        start_line: 2,
        end_line: 2,
        quote: '  let sum = 0',
        severity: 'low',
        title: 'Prefer const',
        body: 'Use reduce instead of a mutable sum.',
        confidence: 0.4
      }
    ],
    // The judge also claims finding 1 for the second comment: one finding matches one comment at most.
    matches: [
      { golden: 1, finding: 1, reasoning: 'Both say the first price is skipped.' },
      { golden: 2, finding: 1, reasoning: 'Overreach.' }
    ]
  },
  {
    number: 2,
    title: 'Auth: check the password',
    file: 'src/auth.ts',
    before: 'export function login(user: string): boolean {\n  return user.length > 0\n}\n',
    after:
      'export async function login(user: string, password: string, check: (p: string) => Promise<boolean>) {\n' +
      '  if (user === "admin") return true\n' +
      '  return check(password)\n' +
      '}\n',
    golden: [
      { comment: 'Any password logs in as admin: the admin user is never checked.', severity: 'Critical' },
      { comment: 'login is now async: callers that test its result as a boolean always pass.', severity: 'High' }
    ],
    findings: [
      {
        file: 'src/auth.ts',
        start_line: 1,
        end_line: 1,
        quote: 'export async function login(user: string, password: string, check: (p: string) => Promise<boolean>) {',
        severity: 'high',
        title: 'login returns a promise now',
        body: 'Every caller that reads the result as a boolean sees a truthy promise.',
        confidence: 0.7
      }
    ],
    matches: [{ golden: 2, finding: 1, reasoning: 'Both name the promise returned where a boolean was.' }]
  }
]

/**
 * Creates `<dir>/shop.git` with the pull requests' refs and `<dir>/golden.json`
 * pointing at them (`file://…/shop.git/pull/N`); returns the golden file's path.
 */
export function buildBenchmark(dir: string): string {
  const work = path.join(dir, 'work')
  const bare = path.join(dir, 'shop.git')
  mkdirSync(path.join(work, 'src'), { recursive: true })
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-C', cwd, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], {
      encoding: 'utf8'
    }).trim()
  git(work, 'init', '-q', '-b', 'main')
  writeFileSync(path.join(work, 'README.md'), '# Shop\n')
  for (const pull of SEEDED) writeFileSync(path.join(work, pull.file), pull.before)
  git(work, 'add', '.')
  git(work, 'commit', '-qm', 'Shop')
  git(dir, 'init', '-q', '--bare', bare)
  for (const pull of SEEDED) {
    git(work, 'checkout', '-q', '-B', `pull-${pull.number}`, 'main')
    writeFileSync(path.join(work, pull.file), pull.after)
    git(work, 'commit', '-qam', pull.title)
    git(work, 'push', '-q', bare, `main:refs/pull/${pull.number}/base`, `HEAD:refs/pull/${pull.number}/head`)
  }
  const golden = path.join(dir, 'golden.json')
  writeFileSync(
    golden,
    JSON.stringify(
      SEEDED.map((pull) => ({
        pr_title: pull.title,
        url: `file://${bare}/pull/${pull.number}`,
        comments: pull.golden
      }))
    )
  )
  return golden
}

/**
 * The stand-in model's answer to a request: the judge's matches when it is
 * asked to judge, the reviewer's findings for the pull request whose diff it
 * reads; undefined once the answer was given (OpenCode's follow-up request).
 */
export function benchmarkModel(request: ChatRequest): ModelTurn | undefined {
  if (request.messages.some((message) => message.role === 'tool')) return undefined
  const prompt = promptText(request)
  const judged = SEEDED.find((pull) => prompt.includes('<golden_comments>') && prompt.includes(pull.title))
  if (judged) return { kind: 'toolCall', tool: 'StructuredOutput', args: { matches: judged.matches } }
  const reviewed = SEEDED.find((pull) => prompt.includes(`+++ b/${pull.file}`))
  if (!reviewed) return undefined
  return {
    kind: 'toolCall',
    tool: 'StructuredOutput',
    args: { summary: `Reviewed ${reviewed.title}.`, walkthrough: [], findings: reviewed.findings }
  }
}
