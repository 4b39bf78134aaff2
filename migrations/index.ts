import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000Initial } from './Migration20261125000000Initial';
import { Migration20261125010000ChatIntake } from './Migration20261125010000ChatIntake';

/** Every migration, in order. Never edit one that has landed: add a new one. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261125000000Initial', class: Migration20261125000000Initial },
  { name: 'Migration20261125010000ChatIntake', class: Migration20261125010000ChatIntake },
];
