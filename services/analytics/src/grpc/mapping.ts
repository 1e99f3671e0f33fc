import { pageSize as kitPageSize } from '@csm/platform/paging';
import { analytics } from '@csm/contracts';
import { ValidationError } from '@csm/platform/errors';
import type { ChurnRiskView } from '../app/analytics-app';
import type { ScopeInput } from '../app/validate';
import { DIMENSION_CODES, KPI_CODES, type DimensionCode, type GranularityCode, type KpiCode, type StatisticCode } from '../domain/kpi-catalogue';
import type { StoredAlert } from '../store/alert-store';
import type { StoredSegment } from '../store/segment-store';

/** proto enum number → domain code (prefix stripped); the violation names the field and the rule. */
type Violations = { field: string; description: string; rule: string }[];

function code(n: number, toJSON: (n: number) => string, prefix: string): string | undefined {
  if (n <= 0) return undefined;
  const name = toJSON(n);
  return name.startsWith(prefix) ? name.slice(prefix.length) : undefined;
}

export function kpiOf(n: number, field: string, v: Violations): KpiCode {
  const c = code(n, analytics.kpiToJSON, 'KPI_');
  if (c === undefined || !(KPI_CODES as readonly string[]).includes(c)) {
    v.push({ field, description: n === 0 ? 'is required' : `unknown KPI ${n}`, rule: n === 0 ? 'required' : 'enum' });
    return 'CASE_VOLUME';
  }
  return c as KpiCode;
}

export function dimensionOf(n: number, field: string, v: Violations): DimensionCode {
  const c = code(n, analytics.dimensionToJSON, 'DIMENSION_');
  if (c === undefined || !(DIMENSION_CODES as readonly string[]).includes(c)) {
    v.push({ field, description: n === 0 ? 'is required' : `unknown dimension ${n}`, rule: n === 0 ? 'required' : 'enum' });
    return 'CHANNEL';
  }
  return c as DimensionCode;
}

export function statisticOf(n: number, field: string, v: Violations): StatisticCode {
  if (n === 0) return 'MEDIAN';
  const c = code(n, analytics.statisticToJSON, 'STATISTIC_');
  if (c !== 'MEDIAN' && c !== 'P90' && c !== 'MEAN') {
    v.push({ field, description: `unknown statistic ${n}`, rule: 'enum' });
    return 'MEDIAN';
  }
  return c;
}

export function granularityOf(n: number, field: string, v: Violations): GranularityCode {
  const c = code(n, analytics.granularityToJSON, 'GRANULARITY_');
  if (c !== 'DAILY' && c !== 'WEEKLY' && c !== 'MONTHLY') {
    v.push({ field, description: n === 0 ? 'is required' : `unknown granularity ${n}`, rule: n === 0 ? 'required' : 'enum' });
    return 'DAILY';
  }
  return c;
}

export function scopeOf(s: analytics.KpiScope | undefined, v: Violations): ScopeInput {
  return {
    start: s?.timeRange?.startTime,
    end: s?.timeRange?.endTime,
    timeZone: s?.timeZone ?? '',
    filters: (s?.filters ?? []).map((f, i) => ({ dimension: dimensionOf(f.dimension, `scope.filters[${i}].dimension`, v), values: f.values })),
  };
}

export function throwIf(v: Violations): void {
  if (v.length > 0) throw new ValidationError(v);
}

export function alertToProto(a: StoredAlert): analytics.Alert {
  return analytics.Alert.fromPartial({
    id: a.id,
    kind: analytics.alertKindFromJSON(`ALERT_KIND_${a.kind}`),
    severity: analytics.alertSeverityFromJSON(`ALERT_SEVERITY_${a.severity}`),
    state: analytics.alertStateFromJSON(`ALERT_STATE_${a.state}`),
    title: a.title,
    description: a.description,
    kpi: analytics.kpiFromJSON(`KPI_${a.kpi}`),
    observedValue: a.observedValue,
    threshold: a.threshold,
    scope: a.scope.map((s) => ({ dimension: analytics.dimensionFromJSON(`DIMENSION_${s.dimension}`), values: [...s.values] })),
    passengerId: a.passengerId ?? '',
    memberId: a.memberId ?? '',
    raiseTime: a.raiseTime,
    ...(a.acknowledgeTime ? { acknowledgeTime: a.acknowledgeTime } : {}),
    acknowledgedBy: a.acknowledgedBy ?? '',
  });
}

export function churnToProto(r: ChurnRiskView): analytics.ChurnRisk {
  return analytics.ChurnRisk.fromPartial({
    passengerId: r.passengerId,
    score: r.score,
    level: analytics.riskLevelFromJSON(`RISK_LEVEL_${r.level}`),
    factors: r.factors.map((f) => ({ code: f.code, description: f.description, weight: f.weight })),
    recommendedIntervention: analytics.interventionFromJSON(`INTERVENTION_${r.intervention}`),
    computeTime: r.computeTime,
    highValue: r.highValue,
    segmentId: r.segmentId ?? '',
  });
}

export function segmentToProto(s: StoredSegment): analytics.Segment {
  return analytics.Segment.fromPartial({
    id: s.id,
    name: s.name,
    description: s.description,
    size: s.size,
    definition: s.definition,
    updateTime: s.updateTime,
    meanRecencyDays: s.meanRecencyDays,
    meanFrequency: s.meanFrequency,
    meanMonetaryMiles: s.meanMonetaryMiles,
  });
}

// Page tokens and sizes: the kit's one implementation (@csm/platform/paging).
export { decodePageToken as decodeCursor, encodePageToken as encodeCursor } from '@csm/platform/paging';

export function pageSize(n: number): number {
  return kitPageSize(n);
}
