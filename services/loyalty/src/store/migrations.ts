import { outboxMigration, processedEventsMigration } from '@csm/platform/events';
import type { Migration } from '@csm/platform/stores';
import { balancedCheckMigration } from './balanced-check';
import { creditFunctionMigration } from './credit-function';
import { loyaltySchemaMigration } from './schema';

/** Numbered migrations, applied in order at start-up. */
export const migrations: readonly Migration[] = [outboxMigration(1), processedEventsMigration(2), loyaltySchemaMigration, creditFunctionMigration, balancedCheckMigration];
