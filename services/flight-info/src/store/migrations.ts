import { outboxMigration, processedEventsMigration } from '@csm/platform/events';
import type { Migration } from '@csm/platform/stores';
import { CARGO_SQL } from './sql/cargo-schema';
import { FLIGHTS_SQL } from './sql/flights-schema';

/** Numbered migrations, applied in order at start-up. */
export const migrations: readonly Migration[] = [
  outboxMigration(1),
  processedEventsMigration(2),
  { version: 3, name: 'flights', sql: FLIGHTS_SQL },
  { version: 4, name: 'cargo', sql: CARGO_SQL },
];
