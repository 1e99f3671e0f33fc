// The check character comes from the profile service's own implementation, so demo documents always pass its validation.
import { prcIdCheckChar } from '@csm/profile/dist/domain/prc-id.js';

/** An 18-character PRC resident ID: region, birth date, sequence, and the ISO 7064 MOD 11-2 check character. */
export function prcResidentId(region: string, birthDate: string, sequence: number): string {
  const body = `${region}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{17}$/.test(body)) throw new Error(`prcResidentId: bad input ${region}/${birthDate}/${sequence}`);
  return body + prcIdCheckChar(body);
}
