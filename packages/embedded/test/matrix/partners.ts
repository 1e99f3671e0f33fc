import type { MatrixEntry, MatrixRole } from './types';

// Expected authorization of the partner routes (DOMAIN.md: partners post accruals through an API and see their own
// data; loyalty's PartnerService enforces the same): the registry and credentials are admin only; admin, supervisors,
// analysts and ops read partners' data; a partner reads and posts for its OWN code only. Agents and passengers have
// no access. Writes target a partner code that does not exist (404 for allowed callers), except the accrual, which
// names a frequent-flyer number no member has (rejected / 404, no miles move).
const READERS: MatrixRole[] = ['admin', 'supervisor', 'analyst', 'ops'];
const NO_SUCH_PARTNER = 'ZZNOSUCH1';
const code = (demo: Record<string, unknown>) => String(demo['partnerCode'] ?? 'HOTEL1');

export const partnersMatrix: MatrixEntry[] = [
  {
    operationId: 'registerPartner',
    method: 'post',
    allow: ['admin'],
    request: () => ({
      path: '/partners',
      body: {
        code: 'ZZMATRIX',
        name: 'Matrix probe',
        category: 'PARTNER_CATEGORY_OTHER',
        earnRate: { miles: 1, perSpend: { amountMinor: 1000, currencyCode: 'CNY' } },
        pricePerMile: { amountMinor: 5, currencyCode: 'CNY' },
      },
    }),
  },
  { operationId: 'updatePartner', method: 'patch', allow: ['admin'], request: () => ({ path: `/partners/${NO_SUCH_PARTNER}`, body: { expectedVersion: 1, name: 'Matrix' } }) },
  { operationId: 'getPartner', method: 'get', allow: [...READERS, 'partner'], request: (demo) => ({ path: `/partners/${code(demo)}` }) },
  { operationId: 'listPartners', method: 'get', allow: READERS, request: () => ({ path: '/partners' }) },
  {
    operationId: 'postPartnerAccrual',
    method: 'post',
    allow: ['admin', 'partner'],
    request: (demo) => ({
      path: `/partners/${code(demo)}/accruals`,
      body: { partnerTransactionId: 'MATRIX-TX-0001', memberNumber: '0000000000', activityDate: '2026-01-01', miles: 1, description: 'matrix probe' },
    }),
  },
  { operationId: 'listPartnerAccruals', method: 'get', allow: [...READERS, 'partner'], request: (demo) => ({ path: `/partners/${code(demo)}/accruals`, query: { from: '2026-01-01' } }) },
  {
    operationId: 'reconcilePartnerAccruals',
    method: 'post',
    allow: [...READERS, 'partner'],
    request: (demo) => ({ path: `/partners/${code(demo)}/reconciliations`, body: { from: '2026-01-01', to: '2026-01-31', records: [] } }),
  },
  // Rotating a real partner's secret would lock it out: the probe names a partner that does not exist.
  { operationId: 'issuePartnerCredential', method: 'post', allow: ['admin'], request: () => ({ path: `/partners/${NO_SUCH_PARTNER}/credentials` }) },
  { operationId: 'getPartnerStatement', method: 'get', allow: [...READERS, 'partner'], request: (demo) => ({ path: `/partners/${code(demo)}/statement`, query: { from: '2026-01-01', to: '2026-12-31' } }) },
];
