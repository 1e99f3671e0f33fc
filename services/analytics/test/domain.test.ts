import { analyzeSentiment, scoreChinese } from '../src/domain/sentiment/analyze';
import { segmentPassengers, type RfmFeatures } from '../src/domain/segmentation';
import { withTrends } from '../src/domain/trends';
import { businessDate, isIsoDate } from '../src/domain/business-date';

describe('sentiment (zh lexicon + en AFINN)', () => {
  it.each([
    ['服务很好，非常满意', 'POSITIVE', 'zh'],
    ['航班延误太久，行李丢失，非常失望', 'NEGATIVE', 'zh'],
    ['不满意', 'NEGATIVE', 'zh'],
    ['Great crew, very helpful', 'POSITIVE', 'en'],
    ['terrible delay and rude staff', 'NEGATIVE', 'en'],
    ['行李 damaged, 太差', 'NEGATIVE', 'mixed'],
    ['   ', 'NEUTRAL', 'und'],
  ])('%s → %s (%s)', (text, label, language) => {
    expect(analyzeSentiment(text)).toMatchObject({ label, language });
  });

  it('negators flip and intensifiers strengthen a Chinese term', () => {
    expect(scoreChinese('满意')).toBe(2);
    expect(scoreChinese('不满意')).toBe(-3); // its own entry, longest match
    expect(scoreChinese('不好')).toBe(-2);
    expect(scoreChinese('很好')).toBe(3); // entry
    expect(scoreChinese('非常热情')).toBe(3); // 2 + 1
    expect(scoreChinese('不太热情')).toBe(-2);
  });
});

describe('trends', () => {
  const pts = (vals: (number | null)[]) => vals.map((v, i) => ({ period: `p${i}`, value: v ?? 0, sampleSize: v === null ? 0 : 1 }));

  it('weekly: week-over-week against the previous point; moving average over points with data', () => {
    const out = withTrends(pts([10, 20, null, 30]), 'WEEKLY', 2, 1);
    expect(out.map((p) => p.period)).toEqual(['p1', 'p2', 'p3']);
    expect(out[0]).toMatchObject({ value: 20, weekOverWeekChangePct: 100, movingAverage: 15 });
    expect(out[1]?.weekOverWeekChangePct).toBeUndefined(); // no data this week
    expect(out[1]?.movingAverage).toBe(20); // only p1 has data in the window
    expect(out[2]?.weekOverWeekChangePct).toBeUndefined(); // previous week empty
    expect(out[2]?.movingAverage).toBe(30);
  });

  it('daily: compares with the same weekday a week earlier', () => {
    const out = withTrends(pts([50, 1, 1, 1, 1, 1, 1, 75]), 'DAILY', 7, 7);
    expect(out).toHaveLength(1);
    expect(out[0]?.weekOverWeekChangePct).toBe(50);
    expect(out[0]?.movingAverage).toBeCloseTo((6 + 75) / 7, 10);
  });
});

describe('segmentation (ml-kmeans, fixed seed)', () => {
  const rows: RfmFeatures[] = [];
  for (let i = 0; i < 60; i++) {
    const group = i % 3;
    rows.push({
      passengerId: `pax_${String(i).padStart(3, '0')}`,
      recencyDays: [5, 60, 300][group]! + (i % 5),
      frequency: [24, 6, 0][group]! + (i % 3),
      monetaryMiles: [90_000, 12_000, 500][group]! + i * 10,
    });
  }

  it('is deterministic (same seed, shuffled input → same segments and assignments)', () => {
    const a = segmentPassengers(rows, 3, 42);
    const b = segmentPassengers([...rows].reverse(), 3, 42);
    expect(b.segments).toEqual(a.segments);
    expect([...b.assignments.entries()].sort()).toEqual([...a.assignments.entries()].sort());
  });

  it('finds the three planted groups, numbered by value, with sizes and profiles', () => {
    const { segments, assignments } = segmentPassengers(rows, 3, 42);
    expect(segments.map((s) => s.size)).toEqual([20, 20, 20]);
    expect(segments[0]?.meanMonetaryMiles).toBeGreaterThan(segments[1]!.meanMonetaryMiles);
    expect(segments[0]?.name).toMatch(/^High-value frequent recently active/);
    expect(assignments.get('pax_000')).toBe('seg_1');
    expect(assignments.get('pax_002')).toBe('seg_3');
  });
});

describe('business dates', () => {
  it('uses the zone: 2026-03-01T16:30Z is 2026-03-02 in Shanghai, 2026-03-01 in London', () => {
    expect(businessDate(new Date('2026-03-01T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
    expect(businessDate(new Date('2026-03-01T16:30:00Z'), 'Europe/London')).toBe('2026-03-01');
    expect(isIsoDate('2026-02-30')).toBe(false);
  });
});
