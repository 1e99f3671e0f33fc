/**
 * Air waybill numbers: 3-digit airline prefix + 8-digit serial whose last digit is the check digit, the first seven
 * serial digits mod 7 (IATA Resolution 600a). Accepted as "NNN-NNNNNNNN", "NNN NNNNNNNN" or "NNNNNNNNNNN".
 */
export type AwbProblem = 'FORMAT' | 'CHECK_DIGIT';

export interface Awb {
  readonly prefix: string;
  readonly serial: string;
  /** Canonical "NNN-NNNNNNNN". */
  readonly number: string;
}

export function awbCheckDigit(serial7: string): number {
  return Number(BigInt(serial7) % 7n);
}

export function parseAwb(input: string): Awb | AwbProblem {
  const m = /^(\d{3})[- ]?(\d{8})$/.exec(input.trim());
  if (!m) return 'FORMAT';
  const prefix = m[1] ?? '';
  const serial = m[2] ?? '';
  if (awbCheckDigit(serial.slice(0, 7)) !== Number(serial[7])) return 'CHECK_DIGIT';
  return { prefix, serial, number: `${prefix}-${serial}` };
}

/** The AWB for serial number `n` (0 ≤ n < 10^7) of a carrier's stock. */
export function awbFromSequence(prefix: string, n: number): Awb {
  const serial7 = String(n % 10_000_000).padStart(7, '0');
  const serial = `${serial7}${awbCheckDigit(serial7)}`;
  return { prefix, serial, number: `${prefix}-${serial}` };
}
