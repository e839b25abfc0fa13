import { expect } from 'vitest'
import { bytesEqual } from './bytesEquality'

// A setup file of every Vitest config: toEqual compares typed arrays by their bytes (see bytesEqual).
expect.addEqualityTesters([bytesEqual])
