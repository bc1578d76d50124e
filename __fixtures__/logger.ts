import { jest } from '@jest/globals'
import type { Logger } from '../src/logger.js'

type Messages = Exclude<keyof Logger, 'group'>

/** A Logger whose message methods are jest fakes, for asserting what library code logs; groups just run. */
export function fakeLogger(): Logger & { [K in Messages]: jest.Mock<Logger[K]> } {
  return {
    debug: jest.fn<Logger['debug']>(),
    info: jest.fn<Logger['info']>(),
    notice: jest.fn<Logger['notice']>(),
    warning: jest.fn<Logger['warning']>(),
    mask: jest.fn<Logger['mask']>(),
    group: (_name, work) => work()
  }
}
