// Double-entry postings: every transaction is a set of postings summing to zero across accounts. Member accounts
// (available, held) may never go negative; system accounts (issuance sources, burn sinks) carry the other side.

export type AccountId = string;

export interface Posting {
  readonly account: AccountId;
  /** Signed miles; non-zero. */
  readonly amount: number;
}

export const memberAvailable = (memberId: string): AccountId => `${memberId}:available`;
export const memberHeld = (memberId: string): AccountId => `${memberId}:held`;

/** System accounts: where issued miles come from and where burnt/expired miles go. */
export const SYSTEM = {
  flightAccrual: 'sys:flight_accrual',
  compensation: 'sys:compensation',
  adjustment: 'sys:manual_adjustment',
  redemption: 'sys:redemption',
  expiry: 'sys:expiry',
  partner: (code: string): AccountId => `sys:partner:${code}`,
} as const;

export function isMemberAccount(account: AccountId): boolean {
  return !account.startsWith('sys:');
}

export class UnbalancedTransactionError extends Error {
  constructor(sum: number) {
    super(`ledger transaction is not balanced (postings sum to ${sum})`);
    this.name = 'UnbalancedTransactionError';
  }
}

/** A transfer of `miles` from one account to another: the one shape every loyalty transaction takes. */
export function transfer(from: AccountId, to: AccountId, miles: number): Posting[] {
  if (!Number.isSafeInteger(miles) || miles <= 0) throw new RangeError(`transfer miles must be a positive integer, got ${miles}`);
  return [
    { account: from, amount: -miles },
    { account: to, amount: miles },
  ];
}

/** Throws unless the postings are non-zero integers summing to zero. */
export function assertBalanced(postings: readonly Posting[]): void {
  let sum = 0;
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amount) || p.amount === 0) throw new RangeError(`posting amount must be a non-zero integer, got ${p.amount}`);
    sum += p.amount;
  }
  if (sum !== 0 || postings.length < 2) throw new UnbalancedTransactionError(sum);
}
