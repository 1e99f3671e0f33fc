import { cases } from '@csm/contracts';

const S = cases.CaseState;

/**
 * The case workflow: NEW → ACKNOWLEDGED → INVESTIGATING ⇄ PENDING_CUSTOMER → RESOLVED → FOLLOW_UP → CLOSED → ARCHIVED;
 * REOPENED from RESOLVED or CLOSED (within the reopen window) and back to INVESTIGATING.
 */
export const TRANSITIONS: Readonly<Record<number, readonly cases.CaseState[]>> = {
  [S.CASE_STATE_NEW]: [S.CASE_STATE_ACKNOWLEDGED],
  [S.CASE_STATE_ACKNOWLEDGED]: [S.CASE_STATE_INVESTIGATING],
  [S.CASE_STATE_INVESTIGATING]: [S.CASE_STATE_PENDING_CUSTOMER, S.CASE_STATE_RESOLVED],
  [S.CASE_STATE_PENDING_CUSTOMER]: [S.CASE_STATE_INVESTIGATING],
  [S.CASE_STATE_RESOLVED]: [S.CASE_STATE_FOLLOW_UP, S.CASE_STATE_REOPENED],
  [S.CASE_STATE_FOLLOW_UP]: [S.CASE_STATE_CLOSED],
  [S.CASE_STATE_CLOSED]: [S.CASE_STATE_ARCHIVED, S.CASE_STATE_REOPENED],
  [S.CASE_STATE_REOPENED]: [S.CASE_STATE_INVESTIGATING],
  [S.CASE_STATE_ARCHIVED]: [],
};

export const ALL_STATES: readonly cases.CaseState[] = Object.keys(TRANSITIONS).map((k) => Number(k) as cases.CaseState);

/** States in which a case is still being worked (queues, load). */
export const OPEN_STATES: readonly cases.CaseState[] = [S.CASE_STATE_NEW, S.CASE_STATE_ACKNOWLEDGED, S.CASE_STATE_INVESTIGATING, S.CASE_STATE_PENDING_CUSTOMER, S.CASE_STATE_REOPENED, S.CASE_STATE_RESOLVED, S.CASE_STATE_FOLLOW_UP];

/** States that count toward an agent's open load. */
export const LOAD_STATES: readonly cases.CaseState[] = [S.CASE_STATE_NEW, S.CASE_STATE_ACKNOWLEDGED, S.CASE_STATE_INVESTIGATING, S.CASE_STATE_PENDING_CUSTOMER, S.CASE_STATE_REOPENED];

export function allowedFrom(state: cases.CaseState): readonly cases.CaseState[] {
  return TRANSITIONS[state] ?? [];
}

export function isAllowed(from: cases.CaseState, to: cases.CaseState): boolean {
  return allowedFrom(from).includes(to);
}

export function stateName(s: cases.CaseState): string {
  return (cases.CaseState[s] ?? String(s)).replace(/^CASE_STATE_/, '');
}
