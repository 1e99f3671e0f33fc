import type { MatrixEntry, MatrixRole } from './types';

// Expected authorization of the analytics routes (DOMAIN.md: management and analysts read KPIs, trends and reports;
// supervisors watch their dashboards; analytics enforces the same): analysts, supervisors, ops and admin read KPIs,
// alerts, churn risk, segments and exports and acknowledge alerts; only ops and admin rebuild projections and run the
// alert rules or the clustering. Agents, passengers and partners have no access.
const READERS: MatrixRole[] = ['analyst', 'supervisor', 'ops', 'admin'];
const OPERATORS: MatrixRole[] = ['ops', 'admin'];
const pax = (demo: Record<string, unknown>) => String(demo['passengerId'] ?? 'pax_01HZY3K6W0Q8X2N4M5P7R9T1VB');

export const analyticsMatrix: MatrixEntry[] = [
  { operationId: 'queryKpi', method: 'get', allow: READERS, request: () => ({ path: '/analytics/kpis/KPI_CSAT', query: { groupBy: 'DIMENSION_CHANNEL' } }) },
  { operationId: 'queryKpiSeries', method: 'get', allow: READERS, request: () => ({ path: '/analytics/kpis/KPI_CASE_VOLUME/series', query: { granularity: 'GRANULARITY_DAILY' } }) },
  { operationId: 'listAlerts', method: 'get', allow: READERS, request: () => ({ path: '/analytics/alerts', query: { state: 'ALERT_STATE_OPEN' } }) },
  // An alert that does not exist: allowed callers get 404 and no real alert is acknowledged.
  { operationId: 'acknowledgeAlert', method: 'post', allow: READERS, request: () => ({ path: '/analytics/alerts/alr_00000000000000000000000000/acknowledge', body: { comment: 'matrix' } }) },
  { operationId: 'getChurnRisk', method: 'get', allow: READERS, request: (demo) => ({ path: `/analytics/churn-risks/${pax(demo)}` }) },
  { operationId: 'listChurnRisks', method: 'get', allow: READERS, request: () => ({ path: '/analytics/churn-risks', query: { highValueOnly: 'true' } }) },
  { operationId: 'listSegments', method: 'get', allow: READERS, request: () => ({ path: '/analytics/segments' }) },
  { operationId: 'getSegment', method: 'get', allow: READERS, request: () => ({ path: '/analytics/segments/seg_1' }) },
  { operationId: 'exportCsv', method: 'get', allow: READERS, request: () => ({ path: '/analytics/exports/EXPORT_DATASET_SEGMENTS' }) },
  { operationId: 'rebuildProjections', method: 'post', allow: OPERATORS, request: () => ({ path: '/analytics/projections/rebuild' }) },
  { operationId: 'getProjectionStatus', method: 'get', allow: READERS, request: () => ({ path: '/analytics/projections/status' }) },
  // Dates long past: the rules find nothing to raise.
  { operationId: 'evaluateAlerts', method: 'post', allow: OPERATORS, request: () => ({ path: '/analytics/alert-evaluations', body: { from: '2000-01-01', to: '2000-01-01' } }) },
  { operationId: 'runSegmentation', method: 'post', allow: OPERATORS, request: () => ({ path: '/analytics/segmentations' }) },
];
