import type * as core from '@actions/core'
import { jest } from '@jest/globals'

/** Typed fakes of @actions/core, wired in with `jest.unstable_mockModule('@actions/core', () => core)`. */
export const debug = jest.fn<typeof core.debug>()
export const info = jest.fn<typeof core.info>()
export const notice = jest.fn<typeof core.notice>()
export const warning = jest.fn<typeof core.warning>()
export const error = jest.fn<typeof core.error>()
export const getInput = jest.fn<typeof core.getInput>()
export const getMultilineInput = jest.fn<typeof core.getMultilineInput>()
export const setSecret = jest.fn<typeof core.setSecret>()
export const setOutput = jest.fn<typeof core.setOutput>()
export const setFailed = jest.fn<typeof core.setFailed>()
export const saveState = jest.fn<typeof core.saveState>()
export const getState = jest.fn<typeof core.getState>()
export const startGroup = jest.fn<typeof core.startGroup>()
export const endGroup = jest.fn<typeof core.endGroup>()
export const group = jest.fn(<T>(_name: string, fn: () => Promise<T>) => fn())

/** Makes getInput/getMultilineInput answer from `inputs`, as the runner does from INPUT_* variables. */
export function useInputs(inputs: Record<string, string>): void {
  getInput.mockImplementation((name) => inputs[name] ?? '')
  getMultilineInput.mockImplementation((name) => (inputs[name] ?? '').split('\n').filter((line) => line !== ''))
}
