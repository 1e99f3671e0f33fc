import { outboxMigration, processedEventsMigration } from '@csm/platform/events';
import type { Migration } from '@csm/platform/stores';

/** Numbered migrations, applied in order at start-up. The domain's own tables arrive with its issue. */
export const migrations: readonly Migration[] = [outboxMigration(1), processedEventsMigration(2)];
