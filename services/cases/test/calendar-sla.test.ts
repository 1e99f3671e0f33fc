import { cases } from '@csm/contracts';
import { DateTime } from 'luxon';
import { addBusinessTime, businessTimeBetween, calendarProblems, type BusinessCalendar } from '../src/domain/calendar';
import { HOUR, MINUTE } from '../src/domain/clock';
import { DEFAULT_SLA_POLICY, dueActions, meetClock, pauseClock, remainingMs, resumeClock, ruleFor, startClock, type SlaPolicy } from '../src/domain/sla';

const SH = 'Asia/Shanghai';
const at = (iso: string, zone = SH) => DateTime.fromISO(iso, { zone }).toMillis();
const weekdays = ['09:00-12:00', '13:00-18:00'];
const cal: BusinessCalendar = { id: 'cn-office', zone: SH, hours: { 1: weekdays, 2: weekdays, 3: weekdays, 4: weekdays, 5: weekdays }, holidays: ['2026-10-01', '2026-10-02'] };
const policy: SlaPolicy = { ...DEFAULT_SLA_POLICY, calendars: { 'cn-office': cal } };

describe('business calendar', () => {
  it('adds open time across lunch, nights, weekends and holidays in the calendar zone', () => {
    // Friday 17:00 + 2h open → Monday 10:00 (Fri 17-18 = 1h, Mon 09-10 = 1h).
    expect(addBusinessTime(cal, at('2026-11-27T17:00'), 2 * HOUR)).toBe(at('2026-11-30T10:00'));
    // 11:30 + 1h → 13:30 (lunch closed).
    expect(addBusinessTime(cal, at('2026-11-30T11:30'), HOUR)).toBe(at('2026-11-30T13:30'));
    // Wednesday 30 Sep 17:00 + 2h: 1 Oct and 2 Oct are holidays, 3-4 Oct a weekend → Monday 5 Oct 10:00.
    expect(addBusinessTime(cal, at('2026-09-30T17:00'), 2 * HOUR)).toBe(at('2026-10-05T10:00'));
    // Starting in closed hours counts from the next opening.
    expect(addBusinessTime(cal, at('2026-11-28T03:00'), 30 * MINUTE)).toBe(at('2026-11-30T09:30'));
  });

  it('measures open time between two instants, the inverse of adding it', () => {
    expect(businessTimeBetween(cal, at('2026-11-27T17:00'), at('2026-11-30T10:00'))).toBe(2 * HOUR);
    expect(businessTimeBetween(cal, at('2026-11-30T12:00'), at('2026-11-30T13:00'))).toBe(0);
    const from = at('2026-11-25T10:17');
    for (const ms of [MINUTE, 3 * HOUR, 17 * HOUR + 5 * MINUTE, 40 * HOUR]) expect(businessTimeBetween(cal, from, addBusinessTime(cal, from, ms))).toBe(ms);
  });

  it('keeps local opening hours over a DST change (Europe/Paris, 25 Oct 2026)', () => {
    const paris: BusinessCalendar = { id: 'paris', zone: 'Europe/Paris', hours: { 5: ['09:00-17:00'], 1: ['09:00-17:00'] }, holidays: [] };
    // Friday 16:00 + 2h → Monday 10:00 local, although the weekend had a 25-hour day.
    expect(addBusinessTime(paris, at('2026-10-23T16:00', 'Europe/Paris'), 2 * HOUR)).toBe(at('2026-10-26T10:00', 'Europe/Paris'));
  });

  it('rejects malformed calendars', () => {
    expect(calendarProblems({ id: 'x', zone: 'Mars/Base', hours: { 1: ['18:00-09:00'] }, holidays: ['2026-13-01'] })).toHaveLength(3);
    expect(calendarProblems(cal)).toEqual([]);
  });
});

describe('SLA clocks', () => {
  const rule = { kind: cases.SlaKind.SLA_KIND_RESOLUTION, targetMinutes: 8 * 60, calendarId: 'cn-office' };

  it('pause/resume arithmetic: paused time, including closed hours, never counts', () => {
    // Monday 09:00, 8 open hours → due Monday 18:00.
    const c = startClock(policy, rule, at('2026-11-30T09:00'), false);
    expect(c.dueTime).toBe(at('2026-11-30T18:00'));
    expect(c.warningTime).toBe(at('2026-11-30T16:24')); // 80 % of 8 h = 6h24m of open time, lunch skipped
    // Paused at 11:00 (2 h consumed) until Tuesday 14:00: nothing of that counts.
    pauseClock(policy, c, at('2026-11-30T11:00'));
    expect(c.dueTime).toBeNull();
    expect(remainingMs(policy, c, at('2026-12-01T12:00'))).toBe(6 * HOUR);
    resumeClock(policy, c, at('2026-12-01T14:00'));
    expect(c.pausedMs).toBe(27 * HOUR);
    // 6 h left from Tue 14:00: 14-18 = 4 h, Wed 09-11 = 2 h.
    expect(c.dueTime).toBe(at('2026-12-02T11:00'));
    expect(remainingMs(policy, c, at('2026-12-01T17:00'))).toBe(3 * HOUR);
    // Paused again across a night: still counted in open time only.
    pauseClock(policy, c, at('2026-12-01T17:30'));
    resumeClock(policy, c, at('2026-12-02T09:00'));
    expect(c.dueTime).toBe(at('2026-12-02T11:30'));
    expect(dueActions(c, at('2026-12-02T11:29'))).toEqual(['warning']);
    expect(dueActions(c, at('2026-12-02T11:30'))).toEqual(['warning', 'breach']);
    meetClock(policy, c, at('2026-12-02T10:00'));
    expect(c.state).toBe(cases.SlaState.SLA_STATE_MET);
    expect(dueActions(c, at('2026-12-03T10:00'))).toEqual([]);
  });

  it('24x7 clocks: a 24 h first response paused 5 h is due 29 h after intake', () => {
    const r = ruleFor(DEFAULT_SLA_POLICY, cases.SlaKind.SLA_KIND_FIRST_RESPONSE, { kind: cases.CaseKind.CASE_KIND_INQUIRY, severity: 0, categoryCode: '', grade: 'REGULAR' });
    expect(r?.targetMinutes).toBe(24 * 60);
    const t0 = Date.UTC(2026, 10, 29, 8);
    const c = startClock(DEFAULT_SLA_POLICY, r!, t0, false);
    pauseClock(DEFAULT_SLA_POLICY, c, t0 + 2 * HOUR);
    resumeClock(DEFAULT_SLA_POLICY, c, t0 + 7 * HOUR);
    expect(c.dueTime).toBe(t0 + 29 * HOUR);
    expect(c.warningTime).toBe(t0 + 5 * HOUR + Math.ceil(24 * HOUR * 0.8));
  });

  it('picks the most specific rule: severity targets and complaint-only handling start', () => {
    const subject = (severity: cases.Severity, kind = cases.CaseKind.CASE_KIND_COMPLAINT) => ({ kind, severity, categoryCode: 'baggage.lost', grade: 'REGULAR' as const });
    const t = (s: cases.Severity) => ruleFor(DEFAULT_SLA_POLICY, cases.SlaKind.SLA_KIND_RESOLUTION, subject(s))?.targetMinutes;
    expect([t(cases.Severity.SEVERITY_UNSPECIFIED), t(cases.Severity.SEVERITY_GENERAL), t(cases.Severity.SEVERITY_SERIOUS), t(cases.Severity.SEVERITY_SEVERE)]).toEqual([2880, 1440, 2880, 4320]);
    expect(ruleFor(DEFAULT_SLA_POLICY, cases.SlaKind.SLA_KIND_HANDLING_START, subject(1))?.targetMinutes).toBe(1440);
    expect(ruleFor(DEFAULT_SLA_POLICY, cases.SlaKind.SLA_KIND_HANDLING_START, subject(1, cases.CaseKind.CASE_KIND_INQUIRY))).toBeUndefined();
    const vip: SlaPolicy = { ...DEFAULT_SLA_POLICY, rules: [...DEFAULT_SLA_POLICY.rules, { kind: cases.SlaKind.SLA_KIND_FIRST_RESPONSE, targetMinutes: 120, grade: 'VIP' }] };
    expect(ruleFor(vip, cases.SlaKind.SLA_KIND_FIRST_RESPONSE, { ...subject(1), grade: 'VIP' })?.targetMinutes).toBe(120);
  });
});
