import { outboxMigration, processedEventsMigration } from '@csm/platform/events';
import type { Migration } from '@csm/platform/stores';
import { STAR_SCHEMA_SQL } from './star-schema.sql';

/** Numbered migrations, applied in order at start-up. */
export const migrations: readonly Migration[] = [
  outboxMigration(1),
  processedEventsMigration(2),
  { version: 3, name: 'star_schema', sql: STAR_SCHEMA_SQL },
];
