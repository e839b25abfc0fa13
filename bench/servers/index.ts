import { hocuspocus } from './hocuspocus'
import { huigao } from './huigao'
import { huigaoPg } from './huigaoPg'
import type { ServerId, ServerSpec } from './spec'
import { yws } from './yws'

/** The compared servers; ratios are always taken against `yws`. */
export const SERVERS: Record<ServerId, ServerSpec> = { huigao, 'huigao-pg': huigaoPg, yws, hocuspocus }
export const SERVER_ORDER: ServerId[] = ['huigao', 'yws', 'hocuspocus']
export const REFERENCE: ServerId = 'yws'
/** Scenarios that also run Huigao on the PostgreSQL backend (issue 17: W1, W4, W6), compared with the file backend. */
export const WITH_POSTGRES: ServerId[] = ['huigao', 'huigao-pg', 'yws', 'hocuspocus']
export type { ServerId, ServerSpec }
