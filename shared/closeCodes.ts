/**
 * WebSocket close codes of the sync endpoint (/collab/<id>), the contract between server and client.
 * 4000–4999 are for applications; the stock y-websocket client stops reconnecting after 4400–4499.
 */
export const CloseCode = {
  GoingAway: 1001,
  ProtocolError: 1002,
  InvalidData: 1007,
  TooLarge: 1009,
  ServiceRestart: 1012,
  /** No valid session when the connection was opened. */
  Unauthorized: 4401,
  AccessRevoked: 4403,
  DocumentDeleted: 4404,
  /** The client holds a change the server refused: it must drop its copy and load afresh. */
  Resync: 4409,
  /** The session behind the connection ended: signed out (here or in another tab) or the password was reset. */
  SessionEnded: 4440,
  /** An administrator disabled the account. */
  AccountDisabled: 4441,
  // Outside 4400–4499, which the stock y-websocket client treats as final: this one should reconnect.
  RoleChanged: 4001,
  /**
   * Another server process owns the document now (or this one is stopping): reconnect at once, the
   * load balancer routes to the owner. Outside 4400–4499 so that stock clients reconnect too.
   */
  Moved: 4012,
  /** The document's stored files cannot be read (damaged or missing); it is refused, never served partial. */
  DocumentUnavailable: 4500,
} as const

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode]
