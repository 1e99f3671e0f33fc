import {
  ANONYMOUS,
  PermissionDeniedError,
  requirePartnerOrRole,
  requireRole,
  requireScope,
  requireSelfOrRole,
  UnauthenticatedError,
  type Principal,
} from '../src/security';

const agent: Principal = { subject: 'agent-1', roles: ['agent_l1'], scopes: ['cases:write', 'pii:read'] };
const pax: Principal = { subject: 'u-9', roles: ['passenger'], scopes: [], profileId: 'pax_1' };
const partner: Principal = { subject: 'p', roles: ['partner'], scopes: [], partnerCode: 'HTL01' };

describe('authorization helpers', () => {
  it('requireRole passes on any listed role, denies otherwise, and sends anonymous callers to authenticate', () => {
    expect(() => requireRole(agent, 'agent_l1', 'agent_l2')).not.toThrow();
    expect(() => requireRole(agent, 'supervisor')).toThrow(PermissionDeniedError);
    expect(() => requireRole(agent, 'supervisor')).toThrow('requires one of the roles: supervisor');
    expect(() => requireRole(ANONYMOUS, 'agent_l1')).toThrow(UnauthenticatedError);
  });

  it('requireScope needs every listed scope', () => {
    expect(() => requireScope(agent, 'pii:read')).not.toThrow();
    expect(() => requireScope(agent, 'pii:read', 'pii:write')).toThrow('requires the scope(s): pii:write');
  });

  it('requireSelfOrRole lets a passenger reach only their own profile', () => {
    expect(() => requireSelfOrRole(pax, 'pax_1', 'agent_l1')).not.toThrow();
    expect(() => requireSelfOrRole(pax, 'pax_2', 'agent_l1')).toThrow(PermissionDeniedError);
    expect(() => requireSelfOrRole(agent, 'pax_2', 'agent_l1')).not.toThrow();
    expect(() => requireSelfOrRole(agent, 'pax_2')).toThrow('only the profile owner may do this');
    expect(() => requireSelfOrRole(ANONYMOUS, 'pax_1')).toThrow(UnauthenticatedError);
  });

  it('requirePartnerOrRole confines a partner to its own code', () => {
    expect(() => requirePartnerOrRole(partner, 'HTL01', 'admin')).not.toThrow();
    expect(() => requirePartnerOrRole(partner, 'CAR02', 'admin')).toThrow(PermissionDeniedError);
    expect(() => requirePartnerOrRole({ ...agent, roles: ['admin'] }, 'CAR02', 'admin')).not.toThrow();
  });
});
