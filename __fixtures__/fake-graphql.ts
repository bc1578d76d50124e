import { schema as published } from '@octokit/graphql-schema'
import {
  buildClientSchema,
  type DocumentNode,
  executeSync,
  type FieldNode,
  getVariableValues,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  validate
} from 'graphql'

/**
 * GitHub's GraphQL API, as the fake GitHub serves it. Each request is parsed
 * and validated against GitHub's published schema (`@octokit/graphql-schema`),
 * its variables coerced to the types the operation declares, and GitHub's
 * pagination rules applied. It is then executed with that same schema against
 * the fake's state, so an answer that leaves out a non-null field it was asked
 * for, or gives a value of the wrong type, is caught as the fake's own fault.
 */

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

let built: GraphQLSchema | undefined
function githubSchema(): GraphQLSchema {
  // The SDL of this release defines some fields twice; the introspection JSON builds cleanly.
  return (built ??= buildClientSchema(published.json as never))
}

/** An error GitHub answers on purpose, for the field that refused: an unknown id, a refused mutation. */
export class GraphqlRefusal extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** The request broke one of GitHub's rules (pagination) rather than asking for something absent. */
    readonly misuse = false
  ) {
    super(message)
  }
}

export interface GraphqlRequest {
  document: DocumentNode
  operation: OperationDefinitionNode
  variables: Record<string, unknown>
  /** `graphql/<first field>` (`graphql/repository`, `graphql/resolveReviewThread`): how it is recorded and faults aimed. */
  operationId: string
}

function firstField(operation: OperationDefinitionNode): FieldNode {
  return operation.selectionSet.selections.find((selection): selection is FieldNode => selection.kind === Kind.FIELD)!
}

/** A POST /graphql body as GitHub would take it, or why GitHub would refuse it. */
export function checkGraphqlRequest(body: Json): GraphqlRequest | { problems: string[] } {
  if (typeof body?.query !== 'string') return { problems: ['the body holds no `query` string'] }
  let document: DocumentNode
  try {
    document = parse(body.query)
  } catch (error) {
    return { problems: [(error as Error).message] }
  }
  const invalid = validate(githubSchema(), document).map((error) => error.message)
  if (invalid.length) return { problems: invalid }
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION
  )
  const operation = body.operationName
    ? operations.find((candidate) => candidate.name?.value === body.operationName)
    : operations.length === 1
      ? operations[0]
      : undefined
  if (!operation) return { problems: ['no single operation to run (operationName)'] }
  const variables = body.variables ?? {}
  const coerced = getVariableValues(githubSchema(), operation.variableDefinitions ?? [], variables)
  if (coerced.errors) return { problems: coerced.errors.map((error) => error.message) }
  return { document, operation, variables, operationId: `graphql/${firstField(operation).name.value}` }
}

/** GitHub's answer to a request it refuses as a whole: HTTP 200, errors and no data. */
export function refusedRequest(problems: string[]): Json {
  return { errors: problems.map((message) => ({ message })) }
}

/** GitHub's answer when the operation's field refuses: HTTP 200, that field null, an error of `type`. */
export function refusedField(request: GraphqlRequest, type: string, message: string): Json {
  const field = firstField(request.operation)
  const { line, column } = field.loc?.startToken ?? { line: 1, column: 1 }
  const name = field.alias?.value ?? field.name.value
  return { data: { [name]: null }, errors: [{ type, path: [name], locations: [{ line, column }], message }] }
}

/** Runs a checked request on `root` with GitHub's schema: the answer, the rules it broke, and the fake's own faults. */
export function answerGraphql(
  request: GraphqlRequest,
  root: Record<string, unknown>
): { payload: Json; misuse: string[]; ownFaults: string[] } {
  const result = executeSync({
    schema: githubSchema(),
    document: request.document,
    operationName: request.operation.name?.value,
    variableValues: request.variables,
    rootValue: root
  })
  const misuse: string[] = []
  const ownFaults: string[] = []
  const errors = (result.errors ?? []).map((error) => {
    const refusal = error.originalError
    if (!(refusal instanceof GraphqlRefusal)) {
      ownFaults.push(`${error.path?.join('.')}: ${error.message}`)
      return error.toJSON()
    }
    if (refusal.misuse) misuse.push(error.message)
    return { type: refusal.type, path: error.path, locations: error.locations, message: error.message }
  })
  return { payload: { data: result.data ?? null, ...(errors.length ? { errors } : {}) }, misuse, ownFaults }
}

export interface PageArguments {
  first?: number | null
  after?: string | null
}

const cursorOf = (index: number) => Buffer.from(`cursor:${index}`).toString('base64')

/** One page of the connection `name` under GitHub's rules: `first` is required (this fake does not page backwards), at most 100. */
export function connection<T>(name: string, items: readonly T[], { first, after }: PageArguments): Json {
  if (first === undefined || first === null)
    throw new GraphqlRefusal(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`,
      true
    )
  if (first < 0 || first > 100)
    throw new GraphqlRefusal(
      'EXCESSIVE_PAGINATION',
      `Requesting ${first} records on the \`${name}\` connection exceeds the \`first\` limit of 100 records.`,
      true
    )
  const afterIndex = after ? Number(/^cursor:(\d+)$/.exec(Buffer.from(after, 'base64').toString())?.[1] ?? NaN) : -1
  if (Number.isNaN(afterIndex))
    throw new GraphqlRefusal('INVALID_CURSOR_ARGUMENTS', `\`${after}\` does not appear to be a valid cursor.`, true)
  const start = afterIndex + 1
  const nodes = items.slice(start, start + first)
  const cursors = nodes.map((_, offset) => cursorOf(start + offset))
  return {
    totalCount: items.length,
    nodes,
    edges: nodes.map((node, offset) => ({ node, cursor: cursors[offset] })),
    pageInfo: {
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: cursors[0] ?? null,
      endCursor: cursors.at(-1) ?? null
    }
  }
}
