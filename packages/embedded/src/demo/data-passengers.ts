import { profile } from '@csm/contracts';
import { prcResidentId } from './prc-id';

const { DocumentType, Gender, PhoneKind, SeatPreference, ConsentPurpose } = profile;

/** One demo passenger: the profile as an agent would capture it, and what it is meant to illustrate. */
export interface PassengerSeed {
  readonly key: string;
  /** The classification the data should produce (type/grade): the service computes it from the profile and events. */
  readonly intent: string;
  readonly passenger: profile.Passenger;
}

const consent = (purpose: profile.ConsentPurpose, granted: boolean) => ({ purpose, granted, recordTime: new Date('2025-06-01T08:00:00Z'), source: 'app', policyVersion: '2025.1' });

function pax(p: {
  native?: [string, string];
  latin: [string, string];
  title: string;
  gender: profile.Gender;
  birth: string;
  nationality: string;
  doc: profile.IdentityDocument;
  phone: string;
  email: string;
  lang: string;
  city?: string;
  seat?: profile.SeatPreference;
  meal?: string;
  ssr?: { code: string; freeText: string }[];
  tags?: string[];
}): profile.Passenger {
  return profile.Passenger.fromPartial({
    name: { nativeSurname: p.native?.[0] ?? '', nativeGivenName: p.native?.[1] ?? '', latinSurname: p.latin[0], latinGivenName: p.latin[1], title: p.title },
    gender: p.gender,
    birthDate: p.birth,
    nationality: p.nationality,
    documents: [p.doc],
    phones: [{ e164: p.phone, kind: PhoneKind.PHONE_KIND_MOBILE, primary: true, verified: true }],
    emails: [{ address: p.email, primary: true, verified: true }],
    preferredLanguage: p.lang,
    ...(p.city ? { address: { countryCode: p.nationality, city: p.city, lines: [], region: '', district: '', postalCode: '' } } : {}),
    preferences: { seat: p.seat ?? SeatPreference.SEAT_PREFERENCE_UNSPECIFIED, mealCode: p.meal ?? '', drink: '' },
    specialServices: (p.ssr ?? []).map((s) => ({ code: s.code, freeText: s.freeText, validFrom: '', validUntil: '' })),
    consents: [consent(ConsentPurpose.CONSENT_PURPOSE_MARKETING, true), consent(ConsentPurpose.CONSENT_PURPOSE_PROFILING, true)],
    tags: p.tags ?? [],
  });
}

const prc = (region: string, birth: string, seq: number) => ({ type: DocumentType.DOCUMENT_TYPE_PRC_RESIDENT_ID, number: prcResidentId(region, birth, seq), issuingCountry: 'CN', expiryDate: '' });
const passport = (number: string, country: string, expiry: string) => ({ type: DocumentType.DOCUMENT_TYPE_PASSPORT, number, issuingCountry: country, expiryDate: expiry });

/** Ten passengers covering every type and grade the profile service knows (regular, frequent flyer, special; VIP, CIP). */
export const PASSENGERS: readonly PassengerSeed[] = [
  {
    key: 'wang-xiaoming',
    intent: 'frequent flyer, VIP (platinum member)',
    passenger: pax({ native: ['王', '小明'], latin: ['WANG', 'XIAOMING'], title: 'MR', gender: Gender.GENDER_MALE, birth: '1978-04-12', nationality: 'CN', doc: prc('110105', '1978-04-12', 31), phone: '+8613800138000', email: 'wang.xiaoming@example.com', lang: 'zh-CN', city: 'Beijing', seat: SeatPreference.SEAT_PREFERENCE_AISLE }),
  },
  {
    key: 'li-na',
    intent: 'frequent flyer, VIP (gold member); the demo passenger',
    passenger: pax({ native: ['李', '娜'], latin: ['LI', 'NA'], title: 'MS', gender: Gender.GENDER_FEMALE, birth: '1986-09-23', nationality: 'CN', doc: prc('310104', '1986-09-23', 42), phone: '+8613912345678', email: 'li.na@example.com', lang: 'zh-CN', city: 'Shanghai', seat: SeatPreference.SEAT_PREFERENCE_WINDOW, meal: 'VGML' }),
  },
  {
    key: 'zhang-wei',
    intent: 'frequent flyer, regular grade (silver member)',
    passenger: pax({ native: ['张', '伟'], latin: ['ZHANG', 'WEI'], title: 'MR', gender: Gender.GENDER_MALE, birth: '1990-01-15', nationality: 'CN', doc: prc('440106', '1990-01-15', 17), phone: '+8618612345601', email: 'zhang.wei@example.com', lang: 'zh-CN', city: 'Guangzhou' }),
  },
  {
    key: 'chen-jing',
    intent: 'frequent flyer, regular grade (standard member)',
    passenger: pax({ native: ['陈', '静'], latin: ['CHEN', 'JING'], title: 'MS', gender: Gender.GENDER_FEMALE, birth: '1995-07-30', nationality: 'CN', doc: prc('510107', '1995-07-30', 28), phone: '+8613701010101', email: 'chen.jing@example.com', lang: 'zh-CN', city: 'Chengdu' }),
  },
  {
    key: 'liu-yang',
    intent: 'regular passenger, regular grade (not a member)',
    passenger: pax({ native: ['刘', '洋'], latin: ['LIU', 'YANG'], title: 'MR', gender: Gender.GENDER_MALE, birth: '1983-11-02', nationality: 'CN', doc: prc('320102', '1983-11-02', 55), phone: '+8613600136000', email: 'liu.yang@example.com', lang: 'zh-CN' }),
  },
  {
    key: 'zhao-lei',
    intent: 'special passenger (wheelchair, WCHR), special grade',
    passenger: pax({ native: ['赵', '磊'], latin: ['ZHAO', 'LEI'], title: 'MR', gender: Gender.GENDER_MALE, birth: '1951-03-08', nationality: 'CN', doc: prc('110108', '1951-03-08', 13), phone: '+8613501350135', email: 'zhao.lei@example.com', lang: 'zh-CN', ssr: [{ code: 'WCHR', freeText: 'can climb stairs, needs wheelchair to the gate' }] }),
  },
  {
    key: 'emma-schmidt',
    intent: 'regular passenger (passport, English-speaking)',
    passenger: pax({ latin: ['SCHMIDT', 'EMMA'], title: 'MS', gender: Gender.GENDER_FEMALE, birth: '1992-05-19', nationality: 'DE', doc: passport('C01X00T47', 'DE', '2031-05-18'), phone: '+4915112345678', email: 'emma.schmidt@example.com', lang: 'en', city: 'Frankfurt' }),
  },
  {
    key: 'james-carter',
    intent: 'frequent flyer (standard member, passport, English-speaking)',
    passenger: pax({ latin: ['CARTER', 'JAMES'], title: 'MR', gender: Gender.GENDER_MALE, birth: '1975-12-01', nationality: 'US', doc: passport('561234987', 'US', '2029-12-01'), phone: '+12025550123', email: 'james.carter@example.com', lang: 'en', city: 'New York' }),
  },
  {
    key: 'sun-li',
    intent: 'CIP (tag "cip"): special grade',
    passenger: pax({ native: ['孙', '丽'], latin: ['SUN', 'LI'], title: 'DR', gender: Gender.GENDER_FEMALE, birth: '1969-02-14', nationality: 'CN', doc: prc('110101', '1969-02-14', 66), phone: '+8613911113333', email: 'sun.li@example.com', lang: 'zh-CN', tags: ['cip'] }),
  },
  {
    key: 'huang-xiaoyu',
    intent: 'special passenger (unaccompanied minor, UMNR)',
    passenger: pax({ native: ['黄', '小雨'], latin: ['HUANG', 'XIAOYU'], title: 'MISS', gender: Gender.GENDER_FEMALE, birth: '2014-08-20', nationality: 'CN', doc: prc('310115', '2014-08-20', 24), phone: '+8613764576457', email: 'huang.family@example.com', lang: 'zh-CN', ssr: [{ code: 'UMNR', freeText: 'travels alone; met by father at arrival' }] }),
  },
];

export const DEMO_PASSENGER_KEY = 'li-na';
