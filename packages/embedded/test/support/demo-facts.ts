import type { EmbeddedPlatform } from '../../src';
import type { DemoManifest } from '../../src/demo/manifest';
import { send } from './http';

/** The demo facts the matrix requests are built from, for the demo passenger/partner (own) and for someone else. */
export async function demoFacts(p: EmbeddedPlatform): Promise<{ own: Record<string, unknown>; others: Record<string, unknown> }> {
  const demo = p.demo as DemoManifest;
  const admin = p.tokens.admin;
  const otherPassenger = demo.passengers.find((x) => x.id !== demo.demoPassengerId)?.id ?? '';
  const firstCaseOf = async (passengerId: string) => {
    const res = await send(p.gatewayUrl, 'get', '/cases', { token: admin, query: { passengerId, pageSize: '1' } });
    expect(res.status).toBe(200);
    const list = (res.body.cases ?? []) as { id: string; caseNumber: string }[];
    if (list[0]) return list[0];
    const opened = await send(p.gatewayUrl, 'post', '/cases', { token: admin, body: { channel: 'CHANNEL_WEB', kind: 'CASE_KIND_INQUIRY', subject: 'Seat selection', description: 'Can I choose a seat?', language: 'en', passengerId } });
    expect(opened.status).toBe(201);
    return opened.body.case as { id: string; caseNumber: string };
  };
  const ownCase = await firstCaseOf(demo.demoPassengerId);
  const otherCase = await firstCaseOf(otherPassenger);
  const [carrier, rest] = (demo.flights.withManifest[0] ?? 'CA1501/2026-01-01').split(/(?<=^[A-Z0-9]{2})/);
  const [number, date] = (rest ?? '').split('/');
  const common = {
    flight: { carrier, number, date },
    hub: demo.hubs[0],
    articleId: demo.knowledgeArticles[0]?.id,
  };
  const memberOf = (passengerId: string) => {
    const key = demo.passengers.find((x) => x.id === passengerId)?.key;
    return demo.members.find((m) => m.passengerKey === key)?.memberId;
  };
  return {
    own: { ...common, passengerId: demo.demoPassengerId, otherPassengerId: otherPassenger, memberId: memberOf(demo.demoPassengerId), caseId: ownCase.id, caseNumber: ownCase.caseNumber, partnerCode: demo.demoPartnerCode, otherPartnerCode: demo.partners.find((x) => x.code !== demo.demoPartnerCode)?.code },
    others: { ...common, passengerId: otherPassenger, otherPassengerId: demo.demoPassengerId, memberId: memberOf(otherPassenger), caseId: otherCase.id, caseNumber: otherCase.caseNumber, partnerCode: demo.partners.find((x) => x.code !== demo.demoPartnerCode)?.code, otherPartnerCode: demo.demoPartnerCode },
  };
}

