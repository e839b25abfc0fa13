// npm run import-data -- <DATA_DIR>   (DATABASE_URL names the new, empty database)
// Copies an installation on the embedded backend into PostgreSQL; see importDataDir.ts.
import path from 'node:path'
import { ImportFailedError, importDataDir } from './importDataDir'

const dataDir = process.argv[2] ?? process.env.DATA_DIR
const databaseUrl = process.env.DATABASE_URL
if (!dataDir || !databaseUrl) {
  console.error('usage: DATABASE_URL=postgres://… npm run import-data -- <DATA_DIR>')
  process.exit(2)
}
try {
  const report = await importDataDir(path.resolve(dataDir), databaseUrl, (line) => console.log(line))
  console.log(
    `imported ${report.users} accounts (${report.sessions} sessions), ${report.documents} documents with ${report.versions} versions, ` +
      `${report.requests} 提请提交 requests and ${report.notifications} notifications`,
  )
  if (report.unlisted.length > 0) {
    console.warn(`content files no catalog entry names, NOT imported and left in ${dataDir}/documents: ${report.unlisted.join(', ')}`)
  }
} catch (error) {
  console.error(`import failed: ${(error as Error).message}`)
  if (error instanceof ImportFailedError && error.partial) {
    console.error('the database holds part of the data: no process serves it until it is dropped, created again and the import run again')
  }
  process.exit(1)
}
