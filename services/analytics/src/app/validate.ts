import { ValidationError } from '@csm/platform/errors';
import { isValidTimeZone } from '../domain/business-date';
import { dimensionsOf, filterDimensionsOf, KPIS, type DimensionCode, type KpiCode, type StatisticCode } from '../domain/kpi-catalogue';
import type { KpiQuery } from '../store/kpi-sql';

export interface ScopeInput {
  readonly start?: Date | undefined;
  readonly end?: Date | undefined;
  readonly filters: readonly { readonly dimension: DimensionCode; readonly values: readonly string[] }[];
  readonly timeZone: string;
}

type Violation = { field: string; description: string; rule: string };

/** Checks a KPI query fully (every bad field named at once) and returns it normalised. */
export function validateScope(kpi: KpiCode, scope: ScopeInput, groupBy: readonly DimensionCode[], statistic: StatisticCode, defaultZone: string): KpiQuery {
  const v: Violation[] = [];
  const zone = scope.timeZone || defaultZone;
  if (!isValidTimeZone(zone)) v.push({ field: 'scope.time_zone', description: `unknown IANA time zone "${zone.slice(0, 64)}"`, rule: 'time_zone' });
  if (scope.start && scope.end && scope.end.getTime() <= scope.start.getTime()) {
    v.push({ field: 'scope.time_range.end_time', description: 'must be after start_time', rule: 'range' });
  }
  const groupable = dimensionsOf(kpi);
  const filterable = filterDimensionsOf(kpi);
  groupBy.forEach((d, i) => {
    if (!groupable.includes(d)) v.push({ field: `group_by[${i}]`, description: `${KPIS[kpi].code} cannot be grouped by ${d}; allowed: ${groupable.join(', ')}`, rule: 'dimension' });
  });
  if (new Set(groupBy).size !== groupBy.length) v.push({ field: 'group_by', description: 'a dimension appears twice', rule: 'unique' });
  if (groupBy.length > 3) v.push({ field: 'group_by', description: 'at most 3 dimensions', rule: 'max_items' });
  scope.filters.forEach((f, i) => {
    if (!filterable.includes(f.dimension)) v.push({ field: `scope.filters[${i}].dimension`, description: `${kpi} cannot be filtered by ${f.dimension}; allowed: ${filterable.join(', ')}`, rule: 'dimension' });
    if (f.values.length === 0 || f.values.length > 100) v.push({ field: `scope.filters[${i}].values`, description: 'between 1 and 100 values', rule: 'count' });
    f.values.forEach((val, j) => {
      if (val.length === 0 || val.length > 64) v.push({ field: `scope.filters[${i}].values[${j}]`, description: '1 to 64 characters', rule: 'length' });
    });
  });
  if (v.length) throw new ValidationError(v);
  return { kpi, start: scope.start, end: scope.end, filters: scope.filters, groupBy, statistic, timeZone: zone };
}
