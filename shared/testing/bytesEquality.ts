/** Typed arrays whose elements are equal exactly when their bytes are (no NaN or -0 to tell apart). */
const INTEGER_ARRAYS: Function[] = [Uint8Array, Uint8ClampedArray, Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array, BigUint64Array, BigInt64Array]
const isIntegerArray = (value: unknown): value is ArrayBufferView =>
  ArrayBuffer.isView(value) && INTEGER_ARRAYS.some((kind) => value instanceof kind)
const bytesOf = (view: ArrayBufferView) => new Uint8Array(view.buffer, view.byteOffset, view.byteLength)

/**
 * Equality of two integer typed arrays (Yjs updates, file contents) by their bytes, at once. Vitest's
 * own deep equality walks them element by element and then compares Object.entries() of both: two
 * arrays of [index, value] pairs, about 400 bytes of heap per element, all live at once. Two equal
 * 1.4 MB updates cost 535 MB and 87 s on a busy machine (initialSync.test.ts); a 10 MB pair would
 * reach V8's default 4 GB heap and kill the test worker. Same answers as Vitest's: different kinds
 * (a Buffer and a Uint8Array) are not equal. Anything else is left to Vitest (undefined). Installed
 * for every test file by shared/testing/vitestSetup.ts.
 */
export function bytesEqual(a: unknown, b: unknown): boolean | undefined {
  if (!isIntegerArray(a) || !isIntegerArray(b)) return undefined
  if (a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false
  return Buffer.compare(bytesOf(a), bytesOf(b)) === 0
}
