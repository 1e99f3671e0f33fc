/** What the cases service needs from other services; gRPC adapters in ./upstream.ts, test doubles in tests. */
export interface LoyaltyPort {
  /** Credits service-recovery miles; idempotent by `idempotencyKey` on the loyalty side. Returns the ledger entry id. */
  compensate(input: { passengerId: string; miles: number; caseId: string; reason: string; idempotencyKey: string }, authorization?: string): Promise<{ transactionId: string }>;
}

export interface ManifestPassenger {
  passengerId: string;
  bookingRef: string;
  ticketNumber: string;
}

export interface ManifestPort {
  /** Every passenger of the flight that flight-info matched to a profile (all pages). */
  passengers(flight: { carrier: string; number: string; date: string }): Promise<ManifestPassenger[]>;
}
