import { ulid } from '@csm/platform/ids';

/** Prefixed ULIDs (DESIGN: `pax_…`, `case_…`): sortable by creation and self-describing in logs. */
export const newId = {
  member: () => `mbr_${ulid()}`,
  transaction: () => `txn_${ulid()}`,
  quote: () => `quo_${ulid()}`,
  redemption: () => `rdm_${ulid()}`,
};
