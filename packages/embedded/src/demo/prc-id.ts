/** An 18-character PRC resident ID with its ISO 7064 MOD 11-2 check character (what the profile service validates). */
export function prcResidentId(region: string, birthDate: string, sequence: number): string {
  const body = `${region}${birthDate.replace(/-/g, '')}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{17}$/.test(body)) throw new Error(`prcResidentId: bad input ${region}/${birthDate}/${sequence}`);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (weights[i] ?? 0), 0);
  return body + '10X98765432'.charAt(sum % 11);
}
