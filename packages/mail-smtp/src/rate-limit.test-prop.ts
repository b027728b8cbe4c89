import { fc, test } from '@fast-check/vitest'
import { expect } from 'vitest'
import { SlidingWindowLimiter } from './rate-limit'

test.prop([fc.integer({ min: 1, max: 5 }), fc.integer({ min: 10, max: 100 }), fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 40 })], { numRuns: 60 })(
  'no window of perMs ever holds more than `messages` starts, whatever the arrival times',
  async (messages, perMs, gaps) => {
    let now = 0
    const starts: number[] = []
    const limiter = new SlidingWindowLimiter({ messages, perMs }, () => now, async (ms) => {
      now += ms
    })
    for (const gap of gaps) {
      now += gap
      await limiter.acquire('site-1')
      starts.push(now)
    }
    for (let i = 0; i < starts.length; i++) {
      const inWindow = starts.filter((t) => t > starts[i]! - perMs && t <= starts[i]!).length
      expect(inWindow).toBeLessThanOrEqual(messages)
    }
    expect(starts).toHaveLength(gaps.length)
  },
)
