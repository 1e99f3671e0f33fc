// SQL stores (`@csm/platform/stores`): the SqlDb port, its node-postgres and PGlite adapters, and numbered
// migrations. The mongoose helper lives at `@csm/platform/stores/mongo` so SQL services never load mongoose.
export type { QueryResult, SqlDb, SqlExecutor, SqlTx } from './sql';
export { createPgDb } from './pg/pg-db';
export type { PgDbOptions } from './pg/pg-db';
export { openSqlDb } from './pg/open-sql-db';
export type { OpenSqlDbOptions } from './pg/open-sql-db';
export { fallbackSqlLogger, redactPgUrl } from './pg/logger';
export type { SqlLogger } from './pg/logger';
export { TransactionMisuseError, runOutsideTransaction } from './pg/tx-scope';
export { createPgliteDb } from './pglite/pglite-db';
export type { PgliteDbOptions } from './pglite/pglite-db';
export { migrate, MIGRATIONS_TABLE } from './migrations/migrate';
export type { MigrateOptions, MigrateResult } from './migrations/migrate';
export { loadMigrations } from './migrations/load-migrations';
export { MigrationError, migrationChecksum } from './migrations/migration';
export type { Migration } from './migrations/migration';
export { createGroupCommit } from './group-commit';
export type { GroupCommit, GroupCommitOptions } from './group-commit';
