/**
 * PRC 18-character resident identity number (GB 11643-1999): 6-digit area code, 8-digit birth date (YYYYMMDD),
 * 3-digit sequence, and a check character computed with ISO 7064 MOD 11-2 over the first 17 digits ('X' = 10).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** ISO 7064 MOD 11-2 check character of 17 digits. */
export function prcIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK[sum % 11] as string;
}

export type PrcIdProblem = 'FORMAT' | 'BIRTH_DATE' | 'CHECK_CHARACTER';

/** Null when valid; otherwise what is wrong. Input must already be upper case without spaces. */
export function checkPrcId(id: string): PrcIdProblem | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'FORMAT';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'BIRTH_DATE';
  if (prcIdCheckChar(id.slice(0, 17)) !== id[17]) return 'CHECK_CHARACTER';
  return null;
}
