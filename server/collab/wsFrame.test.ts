import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { directSocketOf, frameBinary } from './wsFrame'

describe('frameBinary / directSocketOf', () => {
  let server: WebSocketServer
  let port: number
  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('a stock client receives exactly the messages, across every length form, in order with ws.send', async () => {
    const sizes = [0, 1, 125, 126, 127, 65535, 65536, 70000]
    const messages = sizes.map((size, i) => Uint8Array.from({ length: size }, (_, j) => (i * 31 + j) & 0xff))
    const accepted = once(server, 'connection')
    const client = new WebSocket(`ws://127.0.0.1:${port}`)
    const received: Buffer[] = []
    client.on('message', (data: Buffer) => received.push(data))
    await once(client, 'open')
    const [socket] = (await accepted) as [WebSocket]
    const raw = directSocketOf(socket)
    expect(raw).not.toBeNull()
    for (const message of messages) {
      raw!.write(frameBinary(message))
      // Interleaved with ws's own sends: one stream, in order.
      socket.send(Uint8Array.of(0xee, message.length & 0xff))
    }
    while (received.length < messages.length * 2) await once(client, 'message')
    for (let i = 0; i < messages.length; i++) {
      expect(Buffer.compare(received[2 * i], Buffer.from(messages[i]))).toBe(0)
      expect([...received[2 * i + 1]]).toEqual([0xee, messages[i].length & 0xff])
    }
    client.close()
  })

  it('is not used when compression was negotiated or the socket is closing', async () => {
    const compressed = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: true })
    await once(compressed, 'listening')
    const accepted = once(compressed, 'connection')
    const client = new WebSocket(`ws://127.0.0.1:${(compressed.address() as AddressInfo).port}`, { perMessageDeflate: true })
    await once(client, 'open')
    const [socket] = (await accepted) as [WebSocket]
    expect(directSocketOf(socket)).toBeNull()
    client.close()
    await new Promise<void>((resolve) => compressed.close(() => resolve()))

    const plainAccepted = once(server, 'connection')
    const plain = new WebSocket(`ws://127.0.0.1:${port}`)
    await once(plain, 'open')
    const [plainSocket] = (await plainAccepted) as [WebSocket]
    plainSocket.close()
    expect(directSocketOf(plainSocket)).toBeNull()
    plain.terminate()
  })
})
