import { cases } from '@csm/contracts';
import { CUSTOMER_GRADES, suggestCategory, type CustomerGrade } from '../domain/severity';
import { findCategory } from '../domain/taxonomy';
import { AWB, BAGGAGE_REF, BOOKING_REF, CARRIER, FLIGHT_NUMBER, ID, LANGUAGE, SHA256, TICKET, validAwb, validDate, Violations } from '../domain/validation';
import type { AttachmentRec, CaseLinksRec } from '../domain/case';

export interface ValidOpenCase {
  kind: cases.CaseKind;
  channel: cases.Channel;
  subject: string;
  description: string;
  language: string;
  passengerId: string;
  contact: { name: string; phone: string; email: string } | null;
  links: CaseLinksRec;
  attachments: AttachmentRec[];
  tags: string[];
  customerGrade: CustomerGrade;
  regulatorReferral: boolean;
  categoryCode: string;
  impact: cases.Impact;
  idempotencyKey: string;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** Checks an intake request completely (every bad field named) and normalises it. */
export function validateOpenCase(req: cases.OpenCaseRequest): ValidOpenCase {
  const v = new Violations();
  v.enumValue('channel', req.channel, cases.Channel);
  v.enumValue('kind', req.kind, cases.CaseKind);
  if (v.required('subject', req.subject)) v.maxLen('subject', req.subject, 200);
  v.maxLen('description', req.description, 20_000);
  if (v.required('language', req.language)) v.pattern('language', req.language, LANGUAGE, 'a BCP 47 tag ("zh-CN", "en")');
  v.pattern('passenger_id', req.passengerId, ID.passenger, 'a passenger id ("pax_" + ULID)');
  const contact = req.contact && (req.contact.name || req.contact.phone || req.contact.email) ? req.contact : undefined;
  if (req.passengerId === '' && contact === undefined) v.add('passenger_id', 'either passenger_id or contact is required', 'required');
  if (contact) {
    v.maxLen('contact.name', contact.name, 200);
    v.pattern('contact.phone', contact.phone, E164, 'an E.164 number ("+8613800138000")');
    v.pattern('contact.email', contact.email, EMAIL, 'an email address');
  }
  const l = req.links;
  let flight: CaseLinksRec['flight'] = null;
  if (l?.flight && (l.flight.carrier || l.flight.number || l.flight.date)) {
    const f = l.flight;
    if (!CARRIER.test(f.carrier)) v.add('links.flight.carrier', 'must be an IATA (2) or ICAO (3) carrier code, upper case', 'format');
    if (!FLIGHT_NUMBER.test(f.number)) v.add('links.flight.number', 'must be 1-4 digits with an optional suffix letter', 'format');
    if (!validDate(f.date)) v.add('links.flight.date', 'must be a date YYYY-MM-DD', 'format');
    flight = { carrier: f.carrier, number: f.number.replace(/^0+(?=\d)/, ''), date: f.date };
  }
  v.pattern('links.booking_ref', l?.bookingRef ?? '', BOOKING_REF, '6 upper-case letters or digits');
  v.pattern('links.baggage_ref', l?.baggageRef ?? '', BAGGAGE_REF, 'a baggage file reference ("PEKCA12345")');
  if ((l?.airWaybill ?? '') !== '' && !validAwb(l?.airWaybill ?? '')) v.add('links.air_waybill', AWB.test(l?.airWaybill ?? '') ? 'has a wrong check digit (serial mod 7)' : 'must be NNN-NNNNNNNN', 'format');
  v.pattern('links.ticket_number', l?.ticketNumber ?? '', TICKET, '13 digits');
  if (req.attachments.length > 20) v.add('attachments', 'at most 20 attachments', 'max_items');
  req.attachments.forEach((a, i) => {
    v.required(`attachments[${i}].id`, a.id);
    if (v.required(`attachments[${i}].uri`, a.uri)) v.pattern(`attachments[${i}].uri`, a.uri, /^[a-z][a-z0-9+.-]*:\/\/\S+$/, 'a storage URI ("s3://bucket/key")');
    v.maxLen(`attachments[${i}].file_name`, a.fileName, 255);
    v.pattern(`attachments[${i}].sha256`, a.sha256, SHA256, 'lower-case hex SHA-256');
    if (a.sizeBytes < 0) v.add(`attachments[${i}].size_bytes`, 'must be >= 0', 'min');
  });
  if (req.categoryCode !== '' && !findCategory(req.categoryCode)) v.add('category_code', 'is not in the taxonomy (see ListCategories)', 'enum');
  if (v.required('idempotency_key', req.idempotencyKey)) v.maxLen('idempotency_key', req.idempotencyKey, 128);
  if (req.tags.length > 20) v.add('tags', 'at most 20 tags', 'max_items');
  req.tags.forEach((t, i) => {
    if (t.trim() === '' || t.length > 40) v.add(`tags[${i}]`, 'must be 1-40 characters', 'format');
  });
  const grade = (req.customerGrade === '' ? 'REGULAR' : req.customerGrade.toUpperCase()) as CustomerGrade;
  if (!CUSTOMER_GRADES.includes(grade)) v.add('customer_grade', `must be one of ${CUSTOMER_GRADES.join(', ')}`, 'enum');
  v.enumValue('impact', req.impact, cases.Impact, { optional: true });
  v.throwIfAny();
  const text = `${req.subject}\n${req.description}`;
  return {
    kind: req.kind,
    channel: req.channel,
    subject: req.subject.trim(),
    description: req.description.trim(),
    language: req.language,
    passengerId: req.passengerId,
    contact: contact ? { name: contact.name, phone: contact.phone, email: contact.email } : null,
    links: { flight, bookingRef: l?.bookingRef ?? '', baggageRef: l?.baggageRef ?? '', airWaybill: l?.airWaybill ?? '', ticketNumber: l?.ticketNumber ?? '' },
    attachments: req.attachments.map((a) => ({ id: a.id, uri: a.uri, fileName: a.fileName, contentType: a.contentType, sizeBytes: a.sizeBytes, sha256: a.sha256 })),
    tags: [...new Set(req.tags.map((t) => t.trim()))],
    customerGrade: grade,
    regulatorReferral: req.regulatorReferral || req.channel === cases.Channel.CHANNEL_REGULATOR,
    categoryCode: req.categoryCode !== '' ? req.categoryCode : (suggestCategory(text) ?? ''),
    impact: req.impact,
    idempotencyKey: req.idempotencyKey,
  };
}
