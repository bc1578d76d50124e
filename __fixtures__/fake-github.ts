import { Ajv, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { parseDiff } from '../src/diff/parse.js'
import {
  answerGraphql,
  checkGraphqlRequest,
  connection,
  GraphqlRefusal,
  type PageArguments,
  refusedField,
  refusedRequest
} from './fake-graphql.js'

/**
 * GitHub's REST API faked on loopback. Every request is checked against
 * GitHub's own OpenAPI description (`@octokit/openapi`): the route, its path
 * and query parameters and its JSON body. Answers start from the description's
 * own examples, patched with the fake's state, and are checked against the
 * response schema too, so the action meets GitHub's shapes, not ours.
 * `POST /graphql` is checked against GitHub's GraphQL schema the same way
 * (fake-graphql.ts); it serves the review threads the review comments make.
 */

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const require = createRequire(import.meta.url)
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

interface Operation {
  method: string
  template: string
  pattern: RegExp
  names: string[]
  spec: Json
}

let loaded: { spec: Json; operations: Operation[]; ajv: Ajv } | undefined

function load(): NonNullable<typeof loaded> {
  if (loaded) return loaded
  const spec = JSON.parse(readFileSync(require.resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8'))
  const operations: Operation[] = []
  for (const [template, item] of Object.entries<Json>(spec.paths)) {
    const names = [...template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1])
    const pattern = new RegExp(
      `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '([^/]+)')}$`
    )
    for (const method of ['get', 'post', 'patch', 'put', 'delete']) {
      if (item[method]) operations.push({ method: method.toUpperCase(), template, pattern, names, spec: item[method] })
    }
  }
  // Literal routes before templated ones: /pulls/comments beats /pulls/{pull_number}.
  operations.sort((a, b) => a.names.length - b.names.length)
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema(rebase({ components: spec.components }), 'github')
  loaded = { spec, operations, ajv }
  return loaded
}

function resolve(node: Json): Json {
  if (node && typeof node === 'object' && typeof node.$ref === 'string') {
    return resolve(
      node.$ref
        .slice(2)
        .split('/')
        .reduce((at: Json, key: string) => at[key], load().spec)
    )
  }
  return node
}

/** Points local `#/components/...` references at the schema registered as `github`, and words `nullable` the way ajv understands it. */
function rebase(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(rebase)
  if (!schema || typeof schema !== 'object') return schema
  const rebased = Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' ? `github${value}` : rebase(value)
    ])
  )
  // OpenAPI 3.0's `nullable`, as ajv reads it: it needs a `type`, and an `enum` must list null itself.
  if (rebased.nullable === true && rebased.type === undefined) delete rebased.nullable
  if (rebased.nullable === true && Array.isArray(rebased.enum) && !rebased.enum.includes(null))
    rebased.enum = [...rebased.enum, null]
  return rebased
}

const validators = new Map<Json, ValidateFunction>()
function validatorFor(schema: Json): ValidateFunction {
  let validate = validators.get(schema)
  if (!validate) {
    validate = load().ajv.compile(rebase(schema))
    validators.set(schema, validate)
  }
  return validate
}

function problems(schema: Json, value: unknown): string | undefined {
  const validate = validatorFor(schema)
  return validate(value) ? undefined : load().ajv.errorsText(validate.errors)
}

function example(operation: Operation, status: string): Json {
  const content = resolve(operation.spec.responses[status])?.content?.['application/json']
  const first = content?.examples && Object.values<Json>(content.examples)[0]
  return structuredClone(resolve(first)?.value ?? {})
}

export interface FakeFile {
  filename: string
  status: 'added' | 'removed' | 'modified' | 'renamed'
  additions: number
  deletions: number
  patch?: string
  previous_filename?: string
}

export interface FakePullRequestSeed {
  number: number
  title: string
  body: string | null
  draft?: boolean
  headSha: string
  baseSha: string
  headRef: string
  baseRef: string
  diff: string
  files?: FakeFile[]
  /** Answer the diff media type with GitHub's 406, as for a diff too large to render. */
  diffTooLarge?: boolean
  labels?: string[]
  /** The files at its head, by path: what the contents API answers for `ref` set to `headSha` (a push changes both). */
  headFiles?: Record<string, string>
}

/** A one-line change: line 2 of src/app.ts is in the diff; line 9 is not. */
export const ONE_LINE_DIFF = [
  'diff --git a/src/app.ts b/src/app.ts',
  'index 1111111..2222222 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,3 +1,3 @@',
  ' line 1',
  '-line 2',
  '+line 2 changed',
  ' line 3',
  ''
].join('\n')

/** Pull request #7 (feature into main, head `b…`) holding `diff`: what the unit tests against the fake need of one. */
export function pullSeed(diff = ONE_LINE_DIFF): FakePullRequestSeed {
  return {
    number: 7,
    title: 'Threads',
    body: null,
    headSha: 'b'.repeat(40),
    baseSha: 'a'.repeat(40),
    headRef: 'feature',
    baseRef: 'main',
    diff
  }
}

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
  accept: string
  body: Json
  operationId: string | undefined
  status: number
}

export interface Fault {
  status: number
  /**
   * Sent as GitHub's JSON error message; a 5xx gets GitHub's HTML page instead. A GraphQL
   * operation below 500 gets it as GitHub refuses a field: HTTP 200, an error of type FORBIDDEN (403) or NOT_FOUND (404).
   */
  message?: string
  headers?: Record<string, string>
}

type Send = (status: number, payload: Json, headers?: Record<string, string>) => void

export interface FakeComment {
  id: number
  body: string
  user: string
  /** GitHub's author_association; the action's own comments are by a bot with NONE. */
  association?: string
}

/** A comparison `base...head` the compare API knows. */
export interface FakeComparison {
  status: 'ahead' | 'behind' | 'diverged' | 'identical'
  files: FakeFile[]
}

export interface FakeReviewComment {
  id: number
  reviewId: number
  pullNumber: number
  path: string
  /** The line it was posted on; GitHub shows none once the line left the diff (outdated). */
  line: number
  startLine?: number
  side: string
  body: string
  commitId: string
  /** The author's login; the action posts as a bot. */
  user: string
  association?: string
  /** On a reply: the comment that opened its thread. */
  inReplyTo?: number
  /** On the comment that opened a thread: whether the thread is resolved. */
  resolved?: boolean
  /** On a resolved thread's first comment: who resolved it. */
  resolvedBy?: string
}

export interface FakeReaction {
  id: number
  commentId: number
  /** As the REST API words it: `+1`, `-1`, `eyes`, ... */
  content: string
  /** 'issue' for a conversation comment, 'review' for a comment on a line. */
  on: 'issue' | 'review'
  /** Who reacted: the token's bot for the action's own reactions. */
  user: string
}

/** An issue of the repository (not a pull request): the learnings issue, or one posing as it. */
export interface FakeIssue {
  number: number
  title: string
  /** Edited in place as a person edits it in GitHub's interface. */
  body: string
  /** The author's login; the action opens issues as a bot. */
  user: string
  association?: string
  labels: string[]
  state: 'open' | 'closed'
}

export interface FakeGitHub {
  url: string
  owner: string
  repo: string
  requests: RecordedRequest[]
  /** Requests (and answers) that do not fit GitHub's description: a test expects none. */
  violations: string[]
  reviews: Json[]
  comments: FakeComment[]
  reviewComments: FakeReviewComment[]
  /** Reactions currently on comments (deleted ones are gone). */
  reactions: FakeReaction[]
  /** Check runs as created, with every update's annotations appended. */
  checkRuns: Json[]
  /** The repository's issues, by number. */
  issues: FakeIssue[]
  /** The next `times` requests to `operationId` (`pulls/create-review`, `graphql/resolveReviewThread`) get `fault`. */
  failNext(operationId: string, fault: Fault, times?: number): void
  addComment(body: string, user?: string, association?: string): FakeComment
  /** A comment on a line of pull request `pullNumber`'s diff, opening a thread: by the action's bot unless `user` is given. */
  addReviewComment(comment: {
    path: string
    line: number
    startLine?: number
    body: string
    user?: string
    association?: string
    pullNumber?: number
  }): FakeReviewComment
  /** A reply in the thread that review comment `to` opened, as a person writes one. */
  addReviewReply(to: number, body: string, user?: string, association?: string): FakeReviewComment
  /** `user` resolves the thread that review comment `opening` opened, as a person does on the Files tab. */
  resolveThread(opening: number, user: string): void
  /** An issue `user` opens, as a person does in GitHub's interface; labels need triage access, which the test decides. */
  openIssue(issue: Pick<FakeIssue, 'title' | 'body' | 'user' | 'labels'> & { association?: string }): FakeIssue
  /** `user` reacts on review comment `commentId` (`-1` for 👎). */
  react(commentId: number, content: string, user: string): FakeReaction
  close(): Promise<void>
}

export interface FakeGitHubOptions {
  token: string
  owner?: string
  repo?: string
  pulls: FakePullRequestSeed[]
  /** Files of the repository's default branch, by path, for the contents API. */
  files?: Record<string, string>
  /** Files at other commits, by SHA then path: the contents and trees APIs read them when asked for that commit. */
  filesAt?: Record<string, Record<string, string>>
  /** Users' permission on the repository; anyone else has `read`. */
  permissions?: Record<string, 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'>
  /** Comparisons by `base...head`; others answer 404 as for a commit that no longer exists. */
  comparisons?: Record<string, FakeComparison>
  /** False: the token has `contents: read`, so GitHub lets it resolve no review thread (default true). */
  tokenCanResolveThreads?: boolean
  /** True: the token has `checks: write`; without it GitHub refuses to create check runs (403), as for a default GITHUB_TOKEN. */
  tokenCanWriteChecks?: boolean
}

/**
 * The lines GitHub lets a review comment sit on, per file: each line the
 * RIGHT side of a hunk shows (added or context), with the hunk it belongs to.
 * Worked out line by line, not from the hunk headers, so it checks the action's mapping.
 */
function rightSideLines(diff: string): Map<string, Map<number, number>> {
  const files = new Map<string, Map<number, number>>()
  for (const file of parseDiff(diff)) {
    const lines = new Map<number, number>()
    let hunk = -1
    let line = 0
    for (const text of file.text.split('\n')) {
      const header = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text)
      if (header) {
        hunk++
        line = Number(header[1])
      } else if (hunk >= 0 && (text.startsWith(' ') || text.startsWith('+'))) {
        if (file.status !== 'deleted') lines.set(line, hunk)
        line++
      }
    }
    files.set(file.path, lines)
  }
  return files
}

/** The diff GitHub places comments against: a pull request seeded with files (too large for the diff media type) by their patches. */
function placementDiff(pull: FakePullRequestSeed): string {
  if (!pull.files) return pull.diff
  return pull.files
    .map(
      (file) =>
        `diff --git a/${file.filename} b/${file.filename}\n--- a/${file.filename}\n+++ b/${file.filename}\n${file.patch ?? ''}`
    )
    .join('\n')
}

/** GitHub's 422 for a review comment it cannot place, or undefined when it can. */
function placementProblem(comment: Json, lines: Map<string, Map<number, number>>): string | undefined {
  const file = lines.get(comment.path)
  if (!file) return 'Path could not be resolved'
  if ((comment.side ?? 'RIGHT') !== 'RIGHT' || typeof comment.line !== 'number') return 'Line could not be resolved'
  const hunk = file.get(comment.line)
  if (hunk === undefined) return 'Line could not be resolved'
  if (comment.start_line !== undefined) {
    if (comment.start_line >= comment.line) return 'start_line must be less than line'
    if (file.get(comment.start_line) !== hunk) return 'start_line must be part of the same hunk as the line'
  }
  return undefined
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')

const USER = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }

/** When the item with this id was written: ids grow with time. */
function stamp(id: number): string {
  return new Date(Date.parse('2026-01-01T00:00:00Z') + id * 1000).toISOString().replace('.000', '')
}

/** A REST user object for `login`, from a description example's. */
function restUser(template: Json, login: string): Json {
  return login === USER.login
    ? { ...template, ...USER }
    : { ...template, login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }
}

/** A reaction's content as the REST API words it, and as GraphQL does. */
const REACTION_CONTENT: Record<string, string> = {
  '+1': 'THUMBS_UP',
  '-1': 'THUMBS_DOWN',
  laugh: 'LAUGH',
  hooray: 'HOORAY',
  confused: 'CONFUSED',
  heart: 'HEART',
  rocket: 'ROCKET',
  eyes: 'EYES'
}

/** The state GitHub gives a review submitted with each event; without one it stays pending. */
const SUBMITTED_STATES: Record<string, string> = {
  COMMENT: 'COMMENTED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  APPROVE: 'APPROVED'
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const { operations } = load()
  const owner = options.owner ?? 'octo-org'
  const repo = options.repo ?? 'octo-repo'
  const requests: RecordedRequest[] = []
  const violations: string[] = []
  const reviews: Json[] = []
  const comments: FakeComment[] = []
  const reviewComments: FakeReviewComment[] = []
  const reactions: FakeReaction[] = []
  const checkRuns: Json[] = []
  const faults: Array<{ operationId: string; fault: Fault; times: number }> = []
  const issues: FakeIssue[] = []
  let nextId = 1000
  // Issues and pull requests share their numbers: issues come after the seeded pull requests.
  let nextIssueNumber = Math.max(0, ...options.pulls.map((seed) => seed.number)) + 1
  let url = ''

  const pullJson = (operation: Operation, seed: FakePullRequestSeed): Json => {
    const pull = example(operation, '200')
    const html = `https://github.com/${owner}/${repo}/pull/${seed.number}`
    Object.assign(pull, {
      number: seed.number,
      title: seed.title,
      body: seed.body,
      draft: seed.draft ?? false,
      state: 'open',
      html_url: html,
      url: `${url}/repos/${owner}/${repo}/pulls/${seed.number}`
    })
    Object.assign(pull.head, { ref: seed.headRef, sha: seed.headSha, label: `${owner}:${seed.headRef}` })
    Object.assign(pull.base, { ref: seed.baseRef, sha: seed.baseSha, label: `${owner}:${seed.baseRef}` })
    pull.head.repo.full_name = pull.base.repo.full_name = `${owner}/${repo}`
    pull.labels = (seed.labels ?? []).map((name, index) => ({ ...pull.labels[0], id: index + 1, name }))
    // GitHub's own example lists a team without the `type` its schema requires.
    pull.requested_teams = []
    return pull
  }

  const commentJson = (operation: Operation, status: string, comment: FakeComment): Json => {
    const answer = example(operation, status)
    const template = Array.isArray(answer) ? answer[0] : answer
    return Object.assign(template, {
      id: comment.id,
      body: comment.body,
      user: restUser(template.user, comment.user),
      author_association: comment.association ?? 'NONE',
      updated_at: stamp(comment.id),
      html_url: `https://github.com/${owner}/${repo}/pull/${options.pulls[0]?.number ?? 1}#issuecomment-${comment.id}`
    })
  }

  /** An issue as the REST API shows it, from the description's example of one (some operations give a sparse one). */
  const issueJson = (issue: FakeIssue): Json => {
    const template = structuredClone(load().spec.components.examples.issue.value)
    const json = {
      ...template,
      id: issue.number * 1000 + 7,
      node_id: `I_${issue.number}`,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      user: restUser(template.user, issue.user),
      author_association: issue.association ?? 'NONE',
      // Labels made by the issues API get GitHub's default colour and no description.
      labels: issue.labels.map((name, index) => ({
        id: index + 1,
        node_id: `LA_${index + 1}`,
        url: `${url}/repos/${owner}/${repo}/labels/${encodeURIComponent(name)}`,
        name,
        description: null,
        color: 'ededed',
        default: false
      })),
      url: `${url}/repos/${owner}/${repo}/issues/${issue.number}`,
      html_url: `https://github.com/${owner}/${repo}/issues/${issue.number}`,
      created_at: stamp(issue.number),
      updated_at: stamp(issue.number)
    }
    delete json.pull_request
    return json
  }

  /** A review comment as the REST API shows it, from a description example's. */
  const reviewCommentJson = (template: Json, comment: FakeReviewComment): Json => {
    const json = {
      ...template,
      id: comment.id,
      pull_request_review_id: comment.reviewId,
      path: comment.path,
      body: comment.body,
      commit_id: comment.commitId,
      original_commit_id: comment.commitId,
      line: comment.line,
      original_line: comment.line,
      start_line: comment.startLine ?? null,
      original_start_line: comment.startLine ?? null,
      side: comment.side,
      start_side: comment.startLine ? comment.side : null,
      in_reply_to_id: comment.inReplyTo,
      user: restUser(template.user, comment.user),
      author_association: comment.association ?? 'NONE',
      created_at: stamp(comment.id),
      updated_at: stamp(comment.id),
      html_url: `https://github.com/${owner}/${repo}/pull/${comment.pullNumber}#discussion_r${comment.id}`
    }
    if (comment.inReplyTo === undefined) delete json.in_reply_to_id
    // GitHub answers null for an outdated comment's line, which the description does not allow: left out.
    if (isOutdated(comment)) {
      delete json.line
      delete json.position
      json.start_line = null
    }
    return json
  }

  /** GitHub's outdated, as this fake works it out: the thread's lines are no longer lines of the pull request's diff. */
  const isOutdated = (comment: FakeReviewComment): boolean => {
    const pull = options.pulls.find((seed) => seed.number === comment.pullNumber)
    const lines = pull && rightSideLines(placementDiff(pull)).get(comment.path)
    return !lines?.has(comment.line) || (comment.startLine !== undefined && !lines.has(comment.startLine))
  }

  /** GraphQL's actor: a bot is named without the `[bot]` REST adds. */
  const actor = (login: string): Json => {
    const name = login.replace(/\[bot\]$/, '')
    return {
      __typename: name === login ? 'User' : 'Bot',
      login: name,
      avatarUrl: `https://avatars.githubusercontent.com/${name}`,
      resourcePath: `/${name}`,
      url: `https://github.com/${name}`
    }
  }

  /** Where a comment or thread sits, as GraphQL words it: no current line once outdated. */
  const placeOf = (comment: FakeReviewComment): Json => {
    const outdated = isOutdated(comment)
    return {
      path: comment.path,
      line: outdated ? null : comment.line,
      startLine: outdated ? null : (comment.startLine ?? null),
      originalLine: comment.line,
      originalStartLine: comment.startLine ?? null,
      subjectType: 'LINE'
    }
  }

  const reviewCommentNode = (comment: FakeReviewComment): Json => ({
    __typename: 'PullRequestReviewComment',
    id: `PRRC_${comment.id}`,
    fullDatabaseId: String(comment.id),
    ...placeOf(comment),
    outdated: isOutdated(comment),
    body: comment.body,
    bodyText: comment.body,
    author: actor(comment.user),
    authorAssociation: comment.association ?? 'NONE',
    viewerDidAuthor: comment.user === USER.login,
    createdAt: stamp(comment.id),
    updatedAt: stamp(comment.id),
    state: 'SUBMITTED',
    url: `https://github.com/${owner}/${repo}/pull/${comment.pullNumber}#discussion_r${comment.id}`,
    originalCommit: commitNode(comment.commitId),
    reactions: ({ content, ...page }: PageArguments & { content?: string | null }) =>
      connection(
        'reactions',
        reactions
          .filter((reaction) => reaction.on === 'review' && reaction.commentId === comment.id)
          .filter((reaction) => !content || REACTION_CONTENT[reaction.content] === content)
          .map((reaction) => ({
            __typename: 'Reaction',
            id: `REA_${reaction.id}`,
            databaseId: reaction.id,
            content: REACTION_CONTENT[reaction.content],
            createdAt: stamp(reaction.id),
            user: actor(reaction.user)
          })),
        page
      )
  })

  const commitNode = (oid: string): Json => ({
    __typename: 'Commit',
    id: `C_${oid}`,
    oid,
    abbreviatedOid: oid.slice(0, 7)
  })

  /** The thread a comment without `inReplyTo` opened, with the replies to it. */
  const threadNode = (opening: FakeReviewComment): Json => {
    const resolved = opening.resolved ?? false
    const comments = [opening, ...reviewComments.filter((reply) => reply.inReplyTo === opening.id)]
    return {
      __typename: 'PullRequestReviewThread',
      id: `PRRT_${opening.id}`,
      ...placeOf(opening),
      diffSide: opening.side,
      isOutdated: isOutdated(opening),
      isResolved: resolved,
      isCollapsed: resolved,
      viewerCanReply: true,
      viewerCanResolve: !resolved && options.tokenCanResolveThreads !== false,
      viewerCanUnresolve: resolved,
      resolvedBy: resolved && opening.resolvedBy ? actor(opening.resolvedBy) : null,
      comments: (page: PageArguments) => connection('comments', comments.map(reviewCommentNode), page)
    }
  }

  const graphqlRoot = {
    repository: (args: { owner: string; name: string }): Json => {
      if (args.owner !== owner || args.name !== repo)
        throw new GraphqlRefusal(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`
        )
      return {
        __typename: 'Repository',
        name: repo,
        nameWithOwner: `${owner}/${repo}`,
        pullRequest: ({ number }: { number: number }): Json => {
          const seed = options.pulls.find((candidate) => candidate.number === number)
          if (!seed)
            throw new GraphqlRefusal('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${number}.`)
          const openings = reviewComments.filter((comment) => comment.pullNumber === number && !comment.inReplyTo)
          return {
            __typename: 'PullRequest',
            number,
            title: seed.title,
            headRefOid: seed.headSha,
            baseRefOid: seed.baseSha,
            reviewThreads: (page: PageArguments) => connection('reviewThreads', openings.map(threadNode), page)
          }
        }
      }
    },
    resolveReviewThread: ({ input }: { input: { threadId: string; clientMutationId?: string } }): Json => {
      const opening = reviewComments.find((comment) => !comment.inReplyTo && `PRRT_${comment.id}` === input.threadId)
      if (!opening)
        throw new GraphqlRefusal('NOT_FOUND', `Could not resolve to a node with the global id of '${input.threadId}'.`)
      if (options.tokenCanResolveThreads === false)
        throw new GraphqlRefusal('FORBIDDEN', 'Resource not accessible by integration')
      opening.resolved = true
      opening.resolvedBy = USER.login
      return { clientMutationId: input.clientMutationId ?? null, thread: threadNode(opening) }
    }
  }

  /** The repository's files at `ref`: those seeded for it, a pull request's head's, else the default branch's. */
  const filesAtRef = (ref: string | undefined): Record<string, string> | undefined =>
    (ref !== undefined
      ? (options.filesAt?.[ref] ?? options.pulls.find((seed) => seed.headSha === ref)?.headFiles)
      : undefined) ?? options.files

  /** A check run's output as GitHub answers it: the annotations counted, not echoed back. */
  const outputJson = ({ annotations: _annotations, ...output }: Json): Json => output

  /** A stored review as GitHub answers it: without what the fake keeps for tests. */
  const reviewJson = ({ event: _event, comments: _comments, ...review }: Json): Json => review

  /** Answers a checked request; returns [status, body, headers]. */
  const answer = (
    operation: Operation,
    params: Record<string, string>,
    query: Record<string, string>,
    body: Json,
    accept: string,
    record: RecordedRequest
  ): [number, Json, Record<string, string>?] => {
    // One page of a list: these lists stay short in tests, and the action asks for 100 at a time.
    const page = (items: Json[]) =>
      items.slice(
        (Number(query.page ?? 1) - 1) * Number(query.per_page ?? 30),
        Number(query.page ?? 1) * Number(query.per_page ?? 30)
      )
    const pull = options.pulls.find((seed) => String(seed.number) === (params.pull_number ?? params.issue_number))
    const notFound: [number, Json] = [
      404,
      { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }
    ]
    const forbidden: [number, Json] = [
      403,
      {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
        status: '403'
      }
    ]
    switch (operation.spec.operationId) {
      case 'pulls/get':
        if (!pull) return notFound
        if (/diff/.test(accept)) {
          if (pull.diffTooLarge) {
            return [
              406,
              {
                message:
                  "Sorry, the diff exceeded the maximum number of files (300). Consider using 'List pull requests files' API or locally cloning the repository instead.",
                errors: [{ resource: 'PullRequest', field: 'diff', code: 'too_large' }],
                documentation_url: 'https://docs.github.com/rest/pulls/pulls#list-pull-requests-files',
                status: '406'
              }
            ]
          }
          return [200, pull.diff, { 'content-type': 'text/plain; charset=utf-8' }]
        }
        return [200, pullJson(operation, pull)]
      case 'pulls/update': {
        if (!pull) return notFound
        // What the action may change; `pulls/get` shows it from then on.
        if (typeof body?.title === 'string') pull.title = body.title
        if (body && 'body' in body) pull.body = body.body
        return [200, pullJson(operation, pull)]
      }
      case 'pulls/list-files': {
        if (!pull) return notFound
        const perPage = Number(query.per_page ?? 30)
        const page = Number(query.page ?? 1)
        const files = pull.files ?? []
        const template = example(operation, '200')[0]
        const slice = files.slice((page - 1) * perPage, page * perPage).map((file, index) => ({
          ...template,
          ...file,
          sha: `${(page * 1000 + index).toString(16).padStart(40, '0')}`,
          changes: file.additions + file.deletions
        }))
        const last = Math.max(1, Math.ceil(files.length / perPage))
        const link = (n: number, rel: string) =>
          `<${url}/repos/${owner}/${repo}/pulls/${pull.number}/files?per_page=${perPage}&page=${n}>; rel="${rel}"`
        const links = [
          ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
          ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])
        ]
        return [200, slice, links.length ? { link: links.join(', ') } : {}]
      }
      case 'pulls/create-review': {
        if (!pull) return notFound
        const unprocessable = (error: string): [number, Json] => [
          422,
          {
            message: 'Unprocessable Entity',
            errors: [error],
            documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
            status: '422'
          }
        ]
        if ((body.event === 'COMMENT' || body.event === 'REQUEST_CHANGES') && !body.body)
          return unprocessable('Body is required')
        const lines = rightSideLines(placementDiff(pull))
        for (const comment of body.comments ?? []) {
          const problem = placementProblem(comment, lines)
          if (problem) return unprocessable(problem)
        }
        const id = nextId++
        for (const comment of body.comments ?? []) {
          reviewComments.push({
            id: nextId++,
            reviewId: id,
            pullNumber: pull.number,
            user: USER.login,
            path: comment.path,
            line: comment.line,
            startLine: comment.start_line,
            side: comment.side ?? 'RIGHT',
            body: comment.body,
            commitId: body.commit_id ?? pull.headSha
          })
        }
        const review = Object.assign(example(operation, '200'), {
          id,
          body: body.body ?? '',
          state: SUBMITTED_STATES[body.event] ?? 'PENDING',
          commit_id: body.commit_id ?? pull.headSha,
          user: { ...example(operation, '200').user, ...USER },
          html_url: `https://github.com/${owner}/${repo}/pull/${pull.number}#pullrequestreview-${id}`,
          pull_request_url: `${url}/repos/${owner}/${repo}/pulls/${pull.number}`
        })
        reviews.push({ ...review, event: body.event, comments: body.comments ?? [] })
        return [200, review]
      }
      case 'pulls/list-reviews': {
        if (!pull) return notFound
        const template = example(operation, '200')[0]
        const listed = reviews.filter((review) => review.pull_request_url.endsWith(`/pulls/${pull.number}`))
        return [
          200,
          page(
            listed.map((review) => ({
              ...template,
              ...reviewJson(review),
              submitted_at: stamp(review.id)
            }))
          )
        ]
      }
      case 'pulls/dismiss-review': {
        const review = reviews.find((existing) => String(existing.id) === params.review_id)
        if (!pull || !review) return notFound
        // GitHub dismisses only a review that approves or requests changes.
        if (review.state !== 'CHANGES_REQUESTED' && review.state !== 'APPROVED')
          return [
            422,
            {
              message: 'Can not dismiss a commented pull request review',
              documentation_url: 'https://docs.github.com/rest/pulls/reviews#dismiss-a-review-for-a-pull-request',
              status: '422'
            }
          ]
        review.state = 'DISMISSED'
        return [200, { ...example(operation, '200'), ...reviewJson(review) }]
      }
      case 'issues/remove-label': {
        if (!pull) return notFound
        const labels = pull.labels ?? []
        const index = labels.findIndex((name) => name.toLowerCase() === params.name.toLowerCase())
        if (index < 0) return notFound
        labels.splice(index, 1)
        const template = example(operation, '200')[0]
        return [200, labels.map((name, position) => ({ ...template, id: position + 1, name }))]
      }
      case 'pulls/list-review-comments': {
        if (!pull) return notFound
        const template = example(operation, '200')[0]
        return [
          200,
          page(
            reviewComments
              .filter((comment) => comment.pullNumber === pull.number)
              .map((comment) => reviewCommentJson(template, comment))
          )
        ]
      }
      case 'pulls/create-reply-for-review-comment': {
        // GitHub answers replies to replies with 404: a reply goes to the comment that opened the thread.
        const opening = reviewComments.find(
          (comment) => String(comment.id) === params.comment_id && comment.pullNumber === pull?.number
        )
        if (!pull || !opening || opening.inReplyTo !== undefined) return notFound
        const reply: FakeReviewComment = {
          ...opening,
          id: nextId++,
          reviewId: nextId++,
          body: body.body,
          user: USER.login,
          association: undefined,
          inReplyTo: opening.id,
          resolved: undefined,
          resolvedBy: undefined
        }
        reviewComments.push(reply)
        return [201, reviewCommentJson(example(operation, '201'), reply)]
      }
      case 'reactions/create-for-issue-comment':
      case 'reactions/create-for-pull-request-review-comment': {
        const on = record.operationId === 'reactions/create-for-issue-comment' ? 'issue' : 'review'
        const reaction = {
          id: nextId++,
          commentId: Number(params.comment_id),
          content: body.content,
          on,
          user: USER.login
        } as const
        reactions.push(reaction)
        return [
          201,
          Object.assign(example(operation, '201'), {
            id: reaction.id,
            content: reaction.content,
            user: { ...example(operation, '201').user, ...USER }
          })
        ]
      }
      case 'reactions/delete-for-issue-comment':
      case 'reactions/delete-for-pull-request-comment': {
        const index = reactions.findIndex(
          (reaction) => String(reaction.id) === params.reaction_id && String(reaction.commentId) === params.comment_id
        )
        if (index < 0) return notFound
        reactions.splice(index, 1)
        return [204, '']
      }
      case 'repos/get-collaborator-permission-level': {
        const permission = options.permissions?.[params.username] ?? 'read'
        const answer = example(operation, '200')
        const legacy = permission === 'maintain' ? 'write' : permission === 'triage' ? 'read' : permission
        // GitHub's example leaves out the user's role_name, which its schema requires.
        return [
          200,
          Object.assign(answer, {
            permission: legacy,
            role_name: permission,
            user: { ...answer.user, login: params.username, role_name: permission }
          })
        ]
      }
      case 'repos/compare-commits-with-basehead': {
        const comparison = options.comparisons?.[params.basehead]
        if (!comparison) return notFound
        const answer = example(operation, '200')
        const fileTemplate = answer.files[0]
        const [base, head] = params.basehead.split('...')
        return [
          200,
          Object.assign(answer, {
            status: comparison.status,
            ahead_by: comparison.status === 'identical' ? 0 : 1,
            merge_base_commit: { ...answer.merge_base_commit, sha: base },
            commits: comparison.status === 'identical' ? [] : [{ ...answer.commits[0], sha: head }],
            total_commits: comparison.status === 'identical' ? 0 : 1,
            files: comparison.files.map((file, index) => ({
              ...fileTemplate,
              ...file,
              sha: index.toString(16).padStart(40, '0'),
              changes: file.additions + file.deletions
            }))
          })
        ]
      }
      case 'issues/list-for-repo': {
        // GitHub lists pull requests here too; the seeded ones are not labelled as learnings issues in tests.
        const labels = (query.labels ?? '').split(',').filter(Boolean)
        const state = query.state ?? 'open'
        const listed = issues
          .filter((issue) => state === 'all' || issue.state === state)
          .filter((issue) =>
            labels.every((label) => issue.labels.some((name) => name.toLowerCase() === label.toLowerCase()))
          )
          .sort((a, b) => (query.direction === 'asc' ? a.number - b.number : b.number - a.number))
        return [200, page(listed.map(issueJson))]
      }
      case 'issues/create': {
        // Labels that do not exist yet are created with the issue.
        const issue: FakeIssue = {
          number: nextIssueNumber++,
          title: body.title,
          body: body.body ?? '',
          user: USER.login,
          labels: (body.labels ?? []).map((label: Json) => (typeof label === 'string' ? label : label.name)),
          state: 'open'
        }
        issues.push(issue)
        return [201, issueJson(issue)]
      }
      case 'issues/get': {
        const issue = issues.find((candidate) => String(candidate.number) === params.issue_number)
        if (!issue) return notFound
        return [200, issueJson(issue)]
      }
      case 'issues/update': {
        const issue = issues.find((candidate) => String(candidate.number) === params.issue_number)
        if (!issue) return notFound
        if (typeof body.body === 'string') issue.body = body.body
        if (typeof body.title === 'string') issue.title = body.title
        if (body.state === 'open' || body.state === 'closed') issue.state = body.state
        return [200, issueJson(issue)]
      }
      case 'issues/list-comments':
        return [200, page(comments.map((comment) => commentJson(operation, '200', comment)))]
      case 'issues/create-comment': {
        if (!pull) return notFound
        const comment = { id: nextId++, body: body.body, user: USER.login }
        comments.push(comment)
        return [201, commentJson(operation, '201', comment)]
      }
      case 'issues/update-comment': {
        const comment = comments.find((existing) => String(existing.id) === params.comment_id)
        if (!comment) return notFound
        comment.body = body.body
        return [200, commentJson(operation, '200', comment)]
      }
      case 'git/get-tree': {
        // `recursive` set to any value lists every file and folder below; without it, the top level only.
        const recursive = query.recursive !== undefined
        const paths = Object.keys(filesAtRef(params.tree_sha) ?? {}).sort()
        const folders = [
          ...new Set(
            paths.flatMap((file) =>
              file
                .split('/')
                .slice(0, -1)
                .map((_, i, parts) => parts.slice(0, i + 1).join('/'))
            )
          )
        ]
        const entries = [
          ...folders.map((folder) => ({ path: folder, mode: '040000', type: 'tree', sha: sha1(`tree ${folder}`) })),
          ...paths.map((file) => {
            const text = filesAtRef(params.tree_sha)?.[file] ?? ''
            const sha = sha1(`blob ${Buffer.byteLength(text)}\0${text}`)
            return { path: file, mode: '100644', type: 'blob', sha, size: Buffer.byteLength(text) }
          })
        ]
          .filter((entry) => recursive || !entry.path.includes('/'))
          .map((entry) => ({ ...entry, url: `${url}/repos/${owner}/${repo}/git/${entry.type}s/${entry.sha}` }))
          .sort((a, b) => a.path.localeCompare(b.path))
        return [
          200,
          {
            sha: params.tree_sha,
            url: `${url}/repos/${owner}/${repo}/git/trees/${params.tree_sha}`,
            tree: entries,
            truncated: false
          }
        ]
      }
      case 'repos/get-content': {
        const text = filesAtRef(query.ref)?.[params.path]
        if (text === undefined) return notFound
        // The raw media type answers the file's bytes, up to 100 MB.
        if (/\braw\b/.test(accept)) return [200, text, { 'content-type': 'application/vnd.github.raw; charset=utf-8' }]
        const file = Object.assign(example(operation, '200'), {
          type: 'file',
          encoding: 'base64',
          content: Buffer.from(text).toString('base64'),
          size: Buffer.byteLength(text),
          name: params.path.split('/').pop(),
          path: params.path
        })
        return [200, file]
      }
      case 'checks/create': {
        if (!options.tokenCanWriteChecks) return forbidden
        const checkRun = Object.assign(example(operation, '201'), {
          id: nextId++,
          name: body.name,
          head_sha: body.head_sha,
          status: body.status ?? 'queued',
          conclusion: body.conclusion ?? null,
          output: { ...example(operation, '201').output, ...body.output, annotations_count: 0 },
          html_url: `https://github.com/${owner}/${repo}/runs/${nextId - 1}`
        })
        checkRun.output.annotations_count = body.output?.annotations?.length ?? 0
        const stored = { ...checkRun, output: { ...checkRun.output, annotations: body.output?.annotations ?? [] } }
        checkRuns.push(stored)
        return [201, { ...checkRun, output: outputJson(stored.output) }]
      }
      case 'checks/update': {
        if (!options.tokenCanWriteChecks) return forbidden
        const stored = checkRuns.find((checkRun) => String(checkRun.id) === params.check_run_id)
        if (!stored) return notFound
        stored.output.annotations.push(...(body.output?.annotations ?? []))
        stored.output.annotations_count = stored.output.annotations.length
        return [200, Object.assign(example(operation, '200'), { ...stored, output: outputJson(stored.output) })]
      }
      default:
        return notFound
    }
  }

  /** The fault aimed at the next request to `operationId`, if any. */
  const takeFault = (operationId: string | undefined): Fault | undefined => {
    const index = faults.findIndex((entry) => entry.operationId === operationId)
    if (index < 0) return undefined
    const entry = faults[index]
    if (--entry.times === 0) faults.splice(index, 1)
    return entry.fault
  }

  /** Answers POST /graphql as GitHub does: with HTTP 200, refusals and errors included. */
  const serveGraphql = (body: Json, record: RecordedRequest, send: Send, sendUnavailable: (fault: Fault) => void) => {
    const request = checkGraphqlRequest(body)
    if ('problems' in request) {
      violations.push(`POST /graphql: ${request.problems.join('; ')}`)
      return send(200, refusedRequest(request.problems))
    }
    record.operationId = request.operationId
    const fault = takeFault(request.operationId)
    if (fault && fault.status >= 500) return sendUnavailable(fault)
    if (fault) {
      const type = fault.status === 403 ? 'FORBIDDEN' : fault.status === 404 ? 'NOT_FOUND' : 'UNPROCESSABLE'
      return send(200, refusedField(request, type, fault.message ?? 'Error'))
    }
    const { payload, misuse, ownFaults } = answerGraphql(request, graphqlRoot)
    for (const problem of misuse) violations.push(`POST /graphql (${request.operationId}): ${problem}`)
    for (const problem of ownFaults)
      violations.push(`fake's own answer to ${request.operationId} does not fit GitHub's schema: ${problem}`)
    send(200, payload)
  }

  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()))
    req.on('end', () => {
      const target = new URL(req.url ?? '/', 'http://localhost')
      const query = Object.fromEntries(target.searchParams)
      const accept = String(req.headers.accept ?? '')
      let body: Json
      try {
        body = raw ? JSON.parse(raw) : undefined
      } catch {
        body = raw
      }
      const record: RecordedRequest = {
        method: req.method ?? '',
        path: target.pathname,
        query,
        accept,
        body,
        operationId: undefined,
        status: 0
      }
      requests.push(record)
      const send = (status: number, payload: Json, headers: Record<string, string> = {}) => {
        record.status = status
        const text = typeof payload === 'string' ? payload : JSON.stringify(payload)
        res
          .writeHead(status, {
            'content-type': 'application/json; charset=utf-8',
            'x-github-media-type': 'github.v3; format=json',
            ...headers
          })
          .end(text)
      }

      const sendUnavailable = ({ status, headers }: Fault) => {
        record.status = status
        res
          .writeHead(status, { 'content-type': 'text/html', ...headers })
          .end(
            '<!DOCTYPE html><html><head><title>Unicorn! · GitHub</title></head><body>No server is currently available to service your request.</body></html>'
          )
      }
      /** Answers 401 unless the request carries the token. */
      const credentialsRefused = (): boolean => {
        const auth = String(req.headers.authorization ?? '')
        if (auth === `token ${options.token}` || auth === `Bearer ${options.token}`) return false
        send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' })
        return true
      }

      if (req.method === 'POST' && target.pathname === '/graphql') {
        record.operationId = 'graphql'
        if (credentialsRefused()) return
        return serveGraphql(body, record, send, sendUnavailable)
      }
      const operation = operations.find((op) => op.method === req.method && op.pattern.test(target.pathname))
      if (!operation) {
        violations.push(`${req.method} ${target.pathname}: no such route in GitHub's API`)
        return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' })
      }
      record.operationId = operation.spec.operationId
      if (credentialsRefused()) return

      const values = operation.pattern.exec(target.pathname)?.slice(1).map(decodeURIComponent) ?? []
      const params = Object.fromEntries(operation.names.map((name, i) => [name, values[i]]))
      const found: string[] = []
      for (const parameter of (operation.spec.parameters ?? []).map(resolve)) {
        const value =
          parameter.in === 'path'
            ? params[parameter.name]
            : parameter.in === 'query'
              ? query[parameter.name]
              : undefined
        if (value === undefined) {
          if (parameter.required) found.push(`missing ${parameter.in} parameter '${parameter.name}'`)
          continue
        }
        const typed =
          parameter.schema?.type === 'integer' || parameter.schema?.type === 'number' ? Number(value) : value
        const problem = problems(parameter.schema ?? {}, typed)
        if (problem) found.push(`${parameter.in} parameter '${parameter.name}'=${value}: ${problem}`)
      }
      const bodySpec = resolve(operation.spec.requestBody)
      const bodySchema = bodySpec?.content?.['application/json']?.schema
      if (bodySpec?.required && body === undefined) found.push('missing request body')
      if (bodySchema && body !== undefined) {
        const problem = problems(bodySchema, body)
        if (problem) found.push(`body: ${problem}`)
      }
      if (found.length) {
        violations.push(`${req.method} ${target.pathname} (${record.operationId}): ${found.join('; ')}`)
        return send(422, {
          message: 'Validation Failed',
          errors: found,
          documentation_url: 'https://docs.github.com/rest',
          status: '422'
        })
      }

      const fault = takeFault(record.operationId)
      if (fault && fault.status >= 500) return sendUnavailable(fault)
      if (fault) {
        const { status, message, headers } = fault
        return send(
          status,
          { message: message ?? 'Error', documentation_url: 'https://docs.github.com/rest', status: String(status) },
          headers
        )
      }

      const [status, payload, headers] = answer(operation, params, query, body, accept, record)
      const responseSchema = resolve(operation.spec.responses[String(status)])?.content?.['application/json']?.schema
      if (status < 300 && responseSchema && typeof payload !== 'string') {
        const problem = problems(responseSchema, payload)
        if (problem)
          violations.push(`fake's own answer to ${record.operationId} does not fit the description: ${problem}`)
      }
      send(status, payload, headers)
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    owner,
    repo,
    requests,
    violations,
    reviews,
    comments,
    reviewComments,
    reactions,
    checkRuns,
    issues,
    failNext(operationId, fault, times = 1) {
      faults.push({ operationId, fault, times })
    },
    addComment(body, user = 'someone', association = 'NONE') {
      const comment = { id: nextId++, body, user, association }
      comments.push(comment)
      return comment
    },
    addReviewComment({ path, line, startLine, body, user = USER.login, association, pullNumber }) {
      const pull = options.pulls.find((seed) => pullNumber === undefined || seed.number === pullNumber)
      if (!pull) throw new Error(`No pull request #${pullNumber}`)
      const comment = {
        id: nextId++,
        reviewId: nextId++,
        pullNumber: pull.number,
        path,
        line,
        ...(startLine === undefined ? {} : { startLine }),
        side: 'RIGHT',
        body,
        commitId: pull.headSha,
        user,
        association
      }
      reviewComments.push(comment)
      return comment
    },
    addReviewReply(to, body, user = 'someone', association = 'NONE') {
      const opening = reviewComments.find((comment) => comment.id === to && !comment.inReplyTo)
      if (!opening) throw new Error(`No review comment ${to} opens a thread`)
      // GitHub files each reply under a review of its own.
      const reply = {
        ...opening,
        id: nextId++,
        reviewId: nextId++,
        body,
        user,
        association,
        inReplyTo: to,
        resolved: undefined,
        resolvedBy: undefined
      }
      reviewComments.push(reply)
      return reply
    },
    resolveThread(opening, user) {
      const comment = reviewComments.find((candidate) => candidate.id === opening && !candidate.inReplyTo)
      if (!comment) throw new Error(`No review comment ${opening} opens a thread`)
      comment.resolved = true
      comment.resolvedBy = user
    },
    openIssue({ title, body, user, labels, association = 'NONE' }) {
      const issue: FakeIssue = { number: nextIssueNumber++, title, body, user, association, labels, state: 'open' }
      issues.push(issue)
      return issue
    },
    react(commentId, content, user) {
      if (!reviewComments.some((comment) => comment.id === commentId))
        throw new Error(`No review comment ${commentId} to react on`)
      if (!(content in REACTION_CONTENT)) throw new Error(`GitHub has no reaction '${content}'`)
      const reaction = { id: nextId++, commentId, content, on: 'review' as const, user }
      reactions.push(reaction)
      return reaction
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
    }
  }
}
