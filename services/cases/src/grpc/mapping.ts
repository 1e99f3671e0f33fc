import { cases, common } from '@csm/contracts';
import type { ArticleDoc, Hit } from '../app/knowledge-app';
import type { ActivityRow, CaseView } from '../app/cases-app';
import type { CategoryDef } from '../domain/taxonomy';
import type { Actor, CaseRecord, CompensationRec, SurveyRec } from '../domain/case';
import { remainingMs, type SlaClock, type SlaPolicy } from '../domain/sla';

const date = (ms: number | null | undefined): Date | undefined => (ms === null || ms === undefined || ms === 0 ? undefined : new Date(ms));
const actor = (a: Actor | null): common.Actor | undefined => (a ? { kind: a.kind, id: a.id } : undefined);

export function slaToProto(policy: SlaPolicy, c: SlaClock, now: number): cases.SlaDeadline {
  return {
    kind: c.kind,
    state: c.state,
    startTime: new Date(c.startTime),
    dueTime: date(c.dueTime),
    metTime: date(c.metTime),
    remainingSeconds: Math.trunc(remainingMs(policy, c, c.metTime ?? now) / 1000),
    paused: c.runningSince === null && c.pausedAt !== null,
    pausedSeconds: Math.trunc((c.pausedMs + (c.pausedAt !== null ? Math.max(0, now - c.pausedAt) : 0)) / 1000),
    warningTime: date(c.warningTime),
    calendarId: c.calendarId,
    targetSeconds: Math.trunc(c.targetMs / 1000),
  };
}

export function compensationToProto(c: CompensationRec): cases.Compensation {
  return {
    id: c.id,
    miles: c.miles,
    reason: c.reason,
    status: c.status,
    loyaltyTransactionId: c.loyaltyTransactionId,
    grantedBy: actor(c.grantedBy),
    grantTime: date(c.grantTime),
    compensationKind: c.kind,
    amount: c.kind === cases.CompensationKind.COMPENSATION_KIND_MILES ? undefined : { amountMinor: c.amountMinor, currencyCode: c.currency },
    reference: c.reference,
  };
}

export function surveyToProto(s: SurveyRec): cases.Survey {
  return { ...(s.csat !== null ? { csat: s.csat } : {}), ...(s.nps !== null ? { nps: s.nps } : {}), comment: s.comment, channel: s.channel, recordTime: new Date(s.recordTime) };
}

export function caseToProto(v: CaseView, policy: SlaPolicy, now: number): cases.Case {
  const r: CaseRecord = v.record;
  return {
    id: r.id,
    caseNumber: r.caseNumber,
    kind: r.kind,
    channel: r.channel,
    state: r.state,
    subject: r.subject,
    description: r.description,
    language: r.language,
    passengerId: r.passengerId,
    contact: v.contact ?? undefined,
    links: {
      flight: r.links.flight ?? undefined,
      bookingRef: r.links.bookingRef,
      baggageRef: r.links.baggageRef,
      airWaybill: r.links.airWaybill,
      ticketNumber: r.links.ticketNumber,
    },
    attachments: r.attachments,
    classification: {
      categoryCode: r.classification.categoryCode,
      impact: r.classification.impact,
      severity: r.classification.severity,
      derivedSeverity: r.classification.derivedSeverity,
      overridden: r.classification.overridden,
      overrideReason: r.classification.overrideReason,
      classifiedBy: actor(r.classification.classifiedBy),
      classifyTime: date(r.classification.classifyTime),
    },
    assignment: {
      ownerAgentId: r.assignment.ownerAgentId,
      teamId: r.assignment.teamId,
      tier: r.assignment.tier,
      escalationLevel: r.assignment.escalationLevel,
      acceptTime: date(r.assignment.acceptTime),
    },
    slaDeadlines: r.slas.map((c) => slaToProto(policy, c, now)),
    resolution: r.resolution
      ? { code: r.resolution.code, summary: r.resolution.summary, resolveTime: new Date(r.resolution.resolveTime), resolvedBy: actor(r.resolution.resolvedBy), rootCause: r.resolution.rootCause }
      : undefined,
    compensations: r.compensations.map(compensationToProto),
    survey: r.survey ? surveyToProto(r.survey) : undefined,
    tags: r.tags,
    reopenCount: r.reopenCount,
    openTime: new Date(r.openTime),
    closeTime: date(r.closeTime),
    audit: { createTime: new Date(r.openTime), createdBy: actor(r.createdBy), updateTime: new Date(r.updateTime), updatedBy: actor(r.updatedBy), version: r.version },
    customerGrade: r.customerGrade,
    regulatorReferral: r.regulatorReferral,
    department: r.department,
    linksToCases: r.caseLinks.map((l) => ({ caseId: l.caseId, kind: l.kind })),
    mergedIntoCaseId: r.mergedInto,
    disruption: r.disruption
      ? {
          flightId: r.disruption.flightId,
          flight: r.disruption.flight,
          kind: r.disruption.kind,
          delayMinutes: r.disruption.delayMinutes,
          compensationEligible: r.disruption.eligible,
          compensationAmount: r.disruption.eligible ? { amountMinor: r.disruption.amountMinor, currencyCode: r.disruption.currency } : undefined,
          regulation: r.disruption.regulation,
          eligibilityReason: r.disruption.reason,
        }
      : undefined,
    requiredSkills: r.requiredSkills,
    satisfactionOutcome: r.satisfactionOutcome,
  };
}

export function activityToProto(a: ActivityRow): cases.CaseActivity {
  return {
    id: a.id,
    time: a.time,
    actor: { kind: a.actor.kind, id: a.actor.id },
    type: a.type,
    summary: a.summary,
    fromState: a.from_state,
    toState: a.to_state,
    body: a.body,
    visibility: a.visibility,
  };
}

export function categoryToProto(c: CategoryDef): cases.Category {
  return { code: c.code, parentCode: c.parent, nameEn: c.nameEn, nameZh: c.nameZh, defaultImpact: c.defaultImpact };
}

export function articleToProto(a: ArticleDoc): cases.KnowledgeArticle {
  return {
    id: a.id,
    title: a.title,
    summary: a.summary,
    body: a.body,
    language: a.language,
    categoryCode: a.categoryCode,
    tags: a.tags,
    audience: a.audience,
    updateTime: new Date(a.updateTime),
    version: a.version,
  };
}

export function hitToProto(h: Hit): cases.KnowledgeHit {
  return { article: articleToProto(h.article), score: h.score, snippet: h.snippet };
}
