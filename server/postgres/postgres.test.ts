import { afterAll, describe, expect, it } from 'vitest'
import { migrate } from './migrate'
import { createPool, inTransaction } from './pool'
import { postgresForTests } from './testing'

const pg = await postgresForTests({ migrated: false })

describe.skipIf(!pg.url)('PostgreSQL foundation', () => {
  const pool = createPool(pg.url!)
  afterAll(() => pool.end())

  const tables = async () =>
    (await pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).rows.map((r) => r.table_name)

  it('migrates an empty database, once, even when several processes start together', async () => {
    expect(await tables()).toEqual([])
    // Three processes starting at once: the advisory lock makes them apply the migrations in turn.
    const runs = await Promise.all([migrate(pg.url!), migrate(pg.url!), migrate(pg.url!)])
    const applied = runs.filter((names) => names.length > 0)
    expect(applied).toHaveLength(1)
    expect(applied[0]).toContain('0001_accounts')
    expect(await tables()).toEqual(expect.arrayContaining(['users', 'sessions', 'documents', 'document_members', 'document_versions', 'sign_in_attempts', 'pgmigrations']))
    expect(await migrate(pg.url!)).toEqual([])
  })

  it('reads bigint as a number and rolls a failed transaction back', async () => {
    const { rows } = await pool.query<{ n: number }>(`SELECT 9007199254740991::bigint AS n`)
    expect(rows[0].n).toBe(Number.MAX_SAFE_INTEGER)
    await pool.query(`CREATE TABLE t (v int)`)
    await expect(
      inTransaction(pool, async (client) => {
        await client.query(`INSERT INTO t VALUES (1)`)
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect((await pool.query(`SELECT count(*)::int AS c FROM t`)).rows[0].c).toBe(0)
    await inTransaction(pool, (client) => client.query(`INSERT INTO t VALUES (2)`))
    expect((await pool.query(`SELECT count(*)::int AS c FROM t`)).rows[0].c).toBe(1)
  })
})
