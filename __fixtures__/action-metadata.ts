import { readdirSync, readFileSync } from 'node:fs'
import { parseDocument } from 'yaml'

/** Reading action.yml, the workflows, the README and the docs as the runner (and a reader) would. */

export const repositoryRoot = new URL('..', import.meta.url)

export function readRepositoryFile(path: string): string {
  return readFileSync(new URL(path, repositoryRoot), 'utf8')
}

/** The pages a reader reads, relative to the repository: the README, the changelog and every page of docs/. */
export function documentationFiles(): string[] {
  const pages = readdirSync(new URL('docs/', repositoryRoot))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
  return ['README.md', 'CHANGELOG.md', ...pages.sort()]
}

// yaml's defaults, spelled out so that a change of defaults cannot loosen these checks.
const strictYaml = { strict: true, uniqueKeys: true } as const

/** What a strict YAML 1.2 loader refuses (repeated keys included), with line and column; empty when it loads. */
export function yamlErrors(src: string): string[] {
  return parseDocument(src, strictYaml).errors.map((error) => error.message)
}

export function parseStrictYaml(src: string): unknown {
  const document = parseDocument(src, strictYaml)
  if (document.errors.length > 0)
    throw new Error(`Not strict YAML:\n${document.errors.map((error) => error.message).join('\n')}`)
  return document.toJS()
}

export interface ActionInput {
  description: string
  required?: boolean
  default?: string
}

export interface ActionMetadata {
  inputs: Record<string, ActionInput>
  outputs: Record<string, { description: string }>
}

export function readActionMetadata(): ActionMetadata {
  return parseStrictYaml(readRepositoryFile('action.yml')) as ActionMetadata
}

export interface YamlBlock {
  /** Where the block's first line is in the markdown, for test names. */
  line: number
  /** The block's text, its common indentation removed. */
  text: string
}

export function yamlBlocks(markdown: string): YamlBlock[] {
  return [...markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)].map((match) => ({
    line: markdown.slice(0, match.index).split('\n').length + 1,
    text: dedent(match[1])
  }))
}

function dedent(text: string): string {
  const indents = text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => /^ */.exec(line)![0].length)
  const common = Math.min(...indents)
  return text
    .split('\n')
    .map((line) => line.slice(common))
    .join('\n')
}

/** The text under `## heading`, up to the next `## ` heading. */
export function markdownSection(markdown: string, heading: string): string {
  const section = markdown.split(/^## /m).find((part) => part.startsWith(`${heading}\n`))
  if (section === undefined) throw new Error(`No '## ${heading}' section`)
  return section
}

/** The rows of the section's first table, each cell keyed by its column's header. */
export function markdownTable(markdown: string, heading: string): Record<string, string>[] {
  const lines = markdownSection(markdown, heading).split('\n')
  const start = lines.findIndex((line) => line.startsWith('|'))
  if (start === -1) throw new Error(`No table in '## ${heading}'`)
  const end = lines.findIndex((line, index) => index > start && !line.startsWith('|'))
  const [header, , ...rows] = lines.slice(start, end === -1 ? undefined : end).map(tableCells)
  return rows.map((cells) => Object.fromEntries(header.map((column, index) => [column, cells[index] ?? ''])))
}

function tableCells(line: string): string[] {
  return line
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim())
}

/** The code of a cell that is one code span and nothing else (`` `150000` ``); undefined for prose such as `(from `config`)`. */
export function codeSpan(cell: string): string | undefined {
  return /^`([^`]+)`$/.exec(cell)?.[1]
}
