import fc from 'fast-check';
import { profile } from '@csm/contracts';
import { evaluateClassification, activeSsrCodes, type ClassificationRules } from '../src/domain/classification';
import { matchDuplicate } from '../src/domain/duplicates';
import { maskEmail, maskPassenger, maskPhone } from '../src/domain/masking';
import { mergeProfileData } from '../src/domain/merge';
import { emptyProfileData, type ProfileData } from '../src/domain/model';
import { foldName, nameKeys } from '../src/domain/names';
import { checkPrcId, prcIdCheckChar } from '../src/domain/prc-id';
import { applyUpdateMask, checkUpdateMask } from '../src/domain/update-mask';
import { validateProfileData } from '../src/domain/validate';

const opts = { defaultPhoneRegion: 'CN', today: '2026-11-29' };
const data = (p: Partial<ProfileData>): ProfileData => ({ ...emptyProfileData(), ...p }) as ProfileData;

describe('PRC resident ID (ISO 7064 MOD 11-2)', () => {
  it('accepts published examples and rejects a changed check character', () => {
    expect(checkPrcId('11010519491231002X')).toBeNull();
    expect(checkPrcId('440524188001010014')).toBe('BIRTH_DATE'); // valid checksum (GB 11643 example), but born before 1900
    expect(checkPrcId('110105194912310021')).toBe('CHECK_CHARACTER');
    expect(checkPrcId('11010519491331002X')).toBe('BIRTH_DATE');
    expect(checkPrcId('1101051949123100')).toBe('FORMAT');
  });

  it('property: the computed check character validates, and every other character is rejected', () => {
    const day = fc.date({ min: new Date('1900-01-01'), max: new Date('2025-12-31'), noInvalidDate: true });
    fc.assert(
      fc.property(fc.integer({ min: 110000, max: 659999 }), day, fc.integer({ min: 0, max: 999 }), fc.constantFrom(...'0123456789X'), (area, d, seq, other) => {
        const first17 = `${area}${d.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
        const check = prcIdCheckChar(first17);
        expect(checkPrcId(first17 + check)).toBeNull();
        if (other !== check) expect(checkPrcId(first17 + other)).toBe('CHECK_CHARACTER');
      }),
    );
  });

  it('property: any single-digit typo in the first 17 digits is caught', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const id = '11010519491231002X';
        const typo = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        expect(checkPrcId(typo)).not.toBeNull();
      }),
    );
  });
});

describe('validation', () => {
  it('names every bad field with its rule and normalizes the good ones', () => {
    const input = data({
      name: { nativeSurname: '', nativeGivenName: '', latinSurname: 'wang1', latinGivenName: '', title: '' },
      gender: 9 as profile.Gender,
      birthDate: '2030-01-01',
      nationality: 'chn',
      documents: [
        { type: profile.DocumentType.DOCUMENT_TYPE_PRC_RESIDENT_ID, number: '110105194912310021', issuingCountry: '', expiryDate: '' },
        { type: profile.DocumentType.DOCUMENT_TYPE_PASSPORT, number: 'E1234567', issuingCountry: '', expiryDate: '2030-02-30' },
      ],
      phones: [{ e164: '12345', kind: 1, primary: true, verified: false }],
      emails: [{ address: 'not-an-email', primary: false, verified: false }],
      specialServices: [{ code: 'XXXX', freeText: '', validFrom: '2026-02-01', validUntil: '2026-01-01' }],
      consents: [{ purpose: 0, granted: true, recordTime: undefined, source: '', policyVersion: '' }],
      tags: ['ok', 'Bad Tag!'],
    });
    const { violations } = validateProfileData(input, { ...opts, prefix: 'passenger.' });
    const got = violations.map((v) => `${v.field}:${v.rule}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'passenger.name.latin_surname:LATIN_ONLY',
        'passenger.gender:UNKNOWN_ENUM',
        'passenger.birth_date:RANGE',
        'passenger.nationality:COUNTRY_CODE',
        'passenger.documents[0].number:PRC_ID_CHECK_CHARACTER',
        'passenger.documents[1].issuing_country:REQUIRED',
        'passenger.documents[1].expiry_date:DATE_FORMAT',
        'passenger.phones[0].e164:PHONE_NUMBER',
        'passenger.emails[0].address:EMAIL',
        'passenger.special_services[0].code:SSR_CODE',
        'passenger.special_services[0].valid_until:RANGE',
        'passenger.consents[0].purpose:UNKNOWN_ENUM',
        'passenger.consents[0].record_time:REQUIRED',
        'passenger.consents[0].source:REQUIRED',
        'passenger.tags[1]:TAG',
      ]),
    );
  });

  it('normalizes phones to E.164 with libphonenumber, emails to lower case, documents to upper case', () => {
    const { data: out, violations } = validateProfileData(
      data({
        name: { nativeSurname: '王', nativeGivenName: '小明', latinSurname: ' wang ', latinGivenName: 'xiao  ming', title: '' },
        phones: [
          { e164: '138 0013 8000', kind: 1, primary: true, verified: false },
          { e164: '+44 20 7946 0958', kind: 3, primary: false, verified: false },
        ],
        emails: [{ address: ' Wang@Example.COM ', primary: true, verified: false }],
        documents: [{ type: profile.DocumentType.DOCUMENT_TYPE_PASSPORT, number: 'e 123-4567', issuingCountry: 'cn', expiryDate: '' }],
      }),
      opts,
    );
    expect(violations).toEqual([]);
    expect(out.phones.map((p) => p.e164)).toEqual(['+8613800138000', '+442079460958']);
    expect(out.emails[0]?.address).toBe('wang@example.com');
    expect(out.documents[0]).toMatchObject({ number: 'E1234567', issuingCountry: 'CN' });
    expect(out.name).toMatchObject({ latinSurname: 'WANG', latinGivenName: 'XIAO MING' });
  });
});

describe('names', () => {
  it('folds width and case so prefixes match native, Latin and full-width input', () => {
    expect(foldName('ｗａｎｇ  xiao')).toBe('WANG XIAO');
    expect(nameKeys({ nativeSurname: '王', nativeGivenName: '小明', latinSurname: 'WANG', latinGivenName: 'XIAOMING' })).toEqual(
      expect.arrayContaining(['王', '王小明', 'WANG', 'WANG XIAOMING', 'XIAOMING']),
    );
  });
});

describe('masking', () => {
  it('keeps only what confirms identity', () => {
    expect(maskPhone('+8613800138000')).toBe('+86*******8000');
    expect(maskEmail('wang.xiaoming@example.com')).toBe('w***@example.com');
    const m = maskPassenger(
      profile.Passenger.fromPartial({ birthDate: '1990-05-06', documents: [{ type: 1, number: '11010519491231002X', expiryDate: '2030-01-01' }], address: { lines: ['1 Road'], city: 'Beijing' } }),
    );
    expect(m.birthDate).toBe('1990-**-**');
    expect(m.documents[0]).toMatchObject({ number: '**************002X', expiryDate: '' });
    expect(m.address).toMatchObject({ lines: ['***'], city: 'Beijing' });
  });
});

describe('classification rules', () => {
  const rules: ClassificationRules = {
    frequentFlyerTrips: 6,
    vipValueThresholds: [5_000_000, 20_000_000],
    vipTiers: ['TIER_GOLD', 'TIER_PLATINUM'],
    specialSsrCodes: new Set(['WCHR', 'UMNR']),
    specialGradeTags: new Set(['cip']),
  };
  const base = { hasFfpNumber: false, tripsFlown: 0, lifetimeValueMinor: 0, loyaltyTier: '', activeSsrCodes: [], tags: [] };
  it('derives type and grade from value and behaviour', () => {
    expect(evaluateClassification(base, rules)).toEqual({ type: 1, grade: 1, vipLevel: 0 });
    expect(evaluateClassification({ ...base, tripsFlown: 6 }, rules).type).toBe(2);
    expect(evaluateClassification({ ...base, activeSsrCodes: ['UMNR'], hasFfpNumber: true }, rules)).toMatchObject({ type: 3, grade: 3 });
    expect(evaluateClassification({ ...base, lifetimeValueMinor: 25_000_000 }, rules)).toMatchObject({ grade: 2, vipLevel: 2 });
    expect(evaluateClassification({ ...base, loyaltyTier: 'TIER_GOLD' }, rules)).toMatchObject({ grade: 2, vipLevel: 1 });
    expect(evaluateClassification({ ...base, tags: ['cip'] }, rules)).toMatchObject({ grade: 3, vipLevel: 0 });
  });
  it('counts only SSRs valid today', () => {
    const ssr = (code: string, validFrom: string, validUntil: string) => ({ code, freeText: '', validFrom, validUntil });
    expect(activeSsrCodes([ssr('WCHR', '2026-01-01', '2026-12-31'), ssr('UMNR', '', '2025-01-01'), ssr('MEDA', '2027-01-01', '')], '2026-11-29')).toEqual(['WCHR']);
  });
});

describe('duplicates and merge', () => {
  const name = { nativeSurname: '王', nativeGivenName: '小明', latinSurname: 'WANG', latinGivenName: 'XIAOMING', title: '' };
  const phone = (e164: string, primary = true) => ({ e164, kind: 1, primary, verified: false });
  it('matches same document, phone + name, email + name; phone alone is not enough', () => {
    const a = data({ name, phones: [phone('+8613800138000')], documents: [{ type: 1, number: '11010519491231002X', issuingCountry: 'CN', expiryDate: '' }] });
    expect(matchDuplicate(a, data({ documents: a.documents }))?.matchedFields).toEqual(['documents']);
    expect(matchDuplicate(a, data({ name, phones: [phone('+8613800138000')] }))?.matchedFields).toEqual(['phones', 'name']);
    expect(matchDuplicate(a, data({ phones: [phone('+8613800138000')] }))).toBeNull();
  });
  it('survivorship: survivor values win, gaps are filled, lists are unioned, latest consent per purpose wins', () => {
    const s = data({ name, employer: '', phones: [phone('+8613800138000')], consents: [{ purpose: 1, granted: true, recordTime: new Date('2026-01-01'), source: 'app', policyVersion: '1' }] });
    const d = data({
      name: { ...name, latinSurname: 'OTHER' },
      employer: 'Air',
      phones: [phone('+8613800138000'), phone('+8613900139000')],
      consents: [{ purpose: 1, granted: false, recordTime: new Date('2026-06-01'), source: 'web', policyVersion: '2' }],
    });
    const m = mergeProfileData(s, [d]);
    expect(m.name?.latinSurname).toBe('WANG');
    expect(m.employer).toBe('Air');
    expect(m.phones.map((p) => [p.e164, p.primary])).toEqual([
      ['+8613800138000', true],
      ['+8613900139000', false],
    ]);
    expect(m.consents).toEqual([expect.objectContaining({ granted: false, source: 'web' })]);
  });
});

describe('update masks', () => {
  it('accepts settable fields only and replaces repeated fields as a whole', () => {
    expect(checkUpdateMask(['phones', 'name.latin_surname'])).toEqual([]);
    expect(checkUpdateMask(['classification', 'name.nope']).map((v) => v.rule)).toEqual(['UNKNOWN_FIELD', 'UNKNOWN_FIELD']);
    expect(checkUpdateMask([])[0]?.rule).toBe('REQUIRED');
    const base = data({ employer: 'A', tags: ['x', 'y'], name: { nativeSurname: '王', nativeGivenName: '', latinSurname: 'WANG', latinGivenName: '', title: '' } });
    const out = applyUpdateMask(base, data({ tags: ['z'], employer: 'B', name: { nativeSurname: '', nativeGivenName: '', latinSurname: 'LI', latinGivenName: '', title: '' } }), ['tags', 'name.latin_surname']);
    expect(out).toMatchObject({ employer: 'A', tags: ['z'], name: { nativeSurname: '王', latinSurname: 'LI' } });
  });
});
