// Frequent-flyer numbers: 9 random digits + a Luhn (mod 10) check digit, so a mistyped digit or a swap of two adjacent
// digits is caught before any lookup (agents and partners key these in by hand).
import { randomInt } from 'node:crypto';

/** Luhn check digit for a string of digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // Double every second digit counting from the right of the payload (the check digit goes to its right).
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export const MEMBER_NUMBER_PATTERN = /^[0-9]{10}$/;

export function isValidMemberNumber(value: string): boolean {
  if (!MEMBER_NUMBER_PATTERN.test(value)) return false;
  return luhnCheckDigit(value.slice(0, -1)) === Number(value.slice(-1));
}

/** A fresh member number (the first digit is never 0, so the number never loses a digit in a spreadsheet). */
export function newMemberNumber(random: (min: number, max: number) => number = randomInt): string {
  const payload = `${random(1, 10)}${String(random(0, 100_000_000)).padStart(8, '0')}`;
  return `${payload}${luhnCheckDigit(payload)}`;
}
