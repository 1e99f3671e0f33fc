import { profile } from '@csm/contracts';
import type { Passenger } from './model';

/**
 * Masking for callers without `pii:read`: enough to confirm identity with the passenger on the phone ("the number
 * ending 8000"), never enough to use the value.
 */
export function maskTail(value: string, visible: number): string {
  const chars = [...value];
  if (chars.length <= visible) return '*'.repeat(chars.length);
  return '*'.repeat(chars.length - visible) + chars.slice(-visible).join('');
}

export function maskPhone(e164: string): string {
  return e164.length <= 7 ? maskTail(e164, 2) : e164.slice(0, 3) + maskTail(e164.slice(3), 4);
}

export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return maskTail(address, 0);
  return `${address[0] ?? ''}***${address.slice(at)}`;
}

/** Returns a copy with personal fields masked; names, preferences and classification stay readable for service. */
export function maskPassenger(p: Passenger): Passenger {
  const m = profile.Passenger.fromPartial(p);
  m.documents = m.documents.map((d) => ({ ...d, number: maskTail(d.number, 4), expiryDate: '' }));
  m.phones = m.phones.map((ph) => ({ ...ph, e164: maskPhone(ph.e164) }));
  m.emails = m.emails.map((e) => ({ ...e, address: maskEmail(e.address) }));
  if (m.address) m.address = { ...m.address, lines: m.address.lines.map(() => '***'), district: m.address.district ? '***' : '', postalCode: m.address.postalCode ? '***' : '' };
  m.birthDate = m.birthDate ? `${m.birthDate.slice(0, 4)}-**-**` : '';
  m.specialServices = m.specialServices.map((s) => ({ ...s, freeText: s.freeText ? '***' : '' }));
  return m;
}
