import { hocuspocus } from './hocuspocus'
import { huigao } from './huigao'
import type { ServerId, ServerSpec } from './spec'
import { yws } from './yws'

/** The compared servers; ratios are always taken against `yws`. */
export const SERVERS: Record<ServerId, ServerSpec> = { huigao, yws, hocuspocus }
export const SERVER_ORDER: ServerId[] = ['huigao', 'yws', 'hocuspocus']
export const REFERENCE: ServerId = 'yws'
export type { ServerId, ServerSpec }
