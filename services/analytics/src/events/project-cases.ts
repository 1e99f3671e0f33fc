import { cases, eventCodec } from '@csm/contracts';
import type { CloudEvent } from '@csm/platform/events';
import type { SqlTx } from '@csm/platform/stores';
import { analyzeSentiment } from '../domain/sentiment/analyze';
import { asRecord, enumName, nonEmpty, optionalString } from './raw-fields';
import { ProjectionStatement } from './statement';

/** Cases topic → fact_case (one row per case, upserted by every case event), fact_case_sla, fact_survey, sentiment. */
export async function projectCaseEvent(event: CloudEvent, tx: SqlTx, timeZone: string): Promise<boolean> {
  const st = new ProjectionStatement(timeZone);
  const projected = collectCaseEvent(event, st);
  await st.flush(tx);
  return projected;
}

/**
 * A batch of cases-topic events (consecutive, in partition order) in as few statements as possible: the batch is cut
 * into waves — wave k holds the k-th event of each case in the batch — and each wave is ONE statement (rows of
 * different cases, one multi-row upsert per event type). Every case still sees its events in order (wave by wave);
 * rows of different cases are independent (every write is keyed by the case or the event), so the result equals
 * applying the events one by one.
 */
export async function projectCaseEvents(events: readonly CloudEvent[], tx: SqlTx, timeZone: string): Promise<void> {
  for (const wave of wavesByAggregate(events, caseKey)) {
    const st = new ProjectionStatement(timeZone);
    for (const event of wave) collectCaseEvent(event, st);
    await st.flush(tx);
  }
}

/**
 * Splits events into waves: the n-th event of each aggregate (by `key`) goes to wave n, in order. Two events of one
 * aggregate are never in one wave, so a wave's rows never hit one conflict key twice.
 */
export function wavesByAggregate<E>(events: readonly E[], key: (e: E) => string): E[][] {
  const seen = new Map<string, number>();
  const waves: E[][] = [];
  for (const e of events) {
    const k = key(e);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    (waves[n] ??= []).push(e);
  }
  return waves;
}

/** The case a cases-topic event writes: its payload's caseId (the row key), else its subject (the aggregate id). */
function caseKey(event: CloudEvent): string {
  const id = asRecord(event.data).caseId;
  return typeof id === 'string' && id !== '' ? id : event.subject;
}

/** Adds one case event's rows (and the dimension rows they reference) to `st`. False: a type not projected. */
function collectCaseEvent(event: CloudEvent, st: ProjectionStatement): boolean {
  const raw = asRecord(event.data);
  const at = new Date(event.time);
  const kindOf = (decoded: number, field = 'kind') => enumName(raw, field, decoded, cases.caseKindToJSON);
  const severityOf = (decoded: number, field = 'severity') => enumName(raw, field, decoded, cases.severityToJSON);
  const channelOf = (decoded: number, field = 'channel') => enumName(raw, field, decoded, cases.channelToJSON);

  switch (event.type) {
    case 'csm.cases.case.opened.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const openTime = e.openTime ?? at;
      const kind = kindOf(e.kind);
      const channel = channelOf(e.channel);
      const category = nonEmpty(e.categoryCode);
      st.dim('dim_channel', channel).category(category).dim('dim_carrier', nonEmpty(e.flight?.carrier));
      const key = st.date(openTime);
      st.row(
        `INSERT INTO fact_case (case_id, passenger_id, kind, channel, category_code, flight_carrier, flight_number, flight_date, open_time, open_date_key, state)`,
        `(${st.p(e.caseId)}, ${st.passenger(nonEmpty(e.passengerId))}, ${st.p(kind)}, ${st.p(channel)}, ${st.p(category)},
                 ${st.p(nonEmpty(e.flight?.carrier))}, ${st.p(nonEmpty(e.flight?.number))}, ${st.p(nonEmpty(e.flight?.date))},
                 ${st.p(openTime)}, ${st.p(key)}, 'CASE_STATE_NEW')`,
        `ON CONFLICT (case_id) DO UPDATE SET
           passenger_id = COALESCE(EXCLUDED.passenger_id, fact_case.passenger_id), kind = EXCLUDED.kind,
           channel = EXCLUDED.channel, category_code = COALESCE(fact_case.category_code, EXCLUDED.category_code),
           flight_carrier = EXCLUDED.flight_carrier, flight_number = EXCLUDED.flight_number, flight_date = EXCLUDED.flight_date,
           open_time = EXCLUDED.open_time, open_date_key = EXCLUDED.open_date_key, state = COALESCE(fact_case.state, EXCLUDED.state)`,
      );
      // Complaint text is analysed only if the producer sends it (not in CaseOpened v1 today); the text is not kept.
      const text = optionalString(raw, 'description', 'text');
      if (text !== null && kind === 'CASE_KIND_COMPLAINT') sentimentRow(st, `case:${e.caseId}`, 'CASE', e.caseId, nonEmpty(e.passengerId), text, openTime);
      return true;
    }
    case 'csm.cases.case.classified.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const category = nonEmpty(e.categoryCode);
      const severity = severityOf(e.severity);
      st.category(category).dim('dim_severity', severity);
      st.row(
        `INSERT INTO fact_case (case_id, category_code, severity)`,
        `(${st.p(e.caseId)}, ${st.p(category)}, ${st.p(severity)})`,
        `ON CONFLICT (case_id) DO UPDATE SET category_code = COALESCE(EXCLUDED.category_code, fact_case.category_code),
           severity = COALESCE(EXCLUDED.severity, fact_case.severity)`,
      );
      return true;
    }
    case 'csm.cases.case.assigned.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      st.row(
        `INSERT INTO fact_case (case_id, team_id)`,
        `(${st.p(e.caseId)}, ${st.p(nonEmpty(e.teamId))})`,
        `ON CONFLICT (case_id) DO UPDATE SET team_id = COALESCE(EXCLUDED.team_id, fact_case.team_id)`,
      );
      return true;
    }
    case 'csm.cases.case.state_changed.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const from = enumName(raw, 'fromState', e.fromState, cases.caseStateToJSON);
      const to = enumName(raw, 'toState', e.toState, cases.caseStateToJSON);
      // First response: the first move out of NEW (the case was acknowledged / worked on), at the event's time.
      const firstResponse = from === 'CASE_STATE_NEW' ? at : null;
      st.row(
        `INSERT INTO fact_case (case_id, state, first_response_time)`,
        `(${st.p(e.caseId)}, ${st.p(to)}, ${st.p(firstResponse)}::timestamptz)`,
        `ON CONFLICT (case_id) DO UPDATE SET state = COALESCE(EXCLUDED.state, fact_case.state),
           first_response_time = LEAST(fact_case.first_response_time, EXCLUDED.first_response_time)`,
      );
      return true;
    }
    case 'csm.cases.case.sla_warning.v1':
    case 'csm.cases.case.sla_breached.v1': {
      const breached = event.type === 'csm.cases.case.sla_breached.v1';
      const e = breached ? eventCodec('csm.cases.case.sla_breached.v1').fromJSON(raw) : eventCodec('csm.cases.case.sla_warning.v1').fromJSON(raw);
      const severity = severityOf(e.severity);
      const slaKind = enumName(raw, 'slaKind', e.slaKind, cases.slaKindToJSON) ?? 'SLA_KIND_UNSPECIFIED';
      st.dim('dim_severity', severity);
      st.row(
        `INSERT INTO fact_case (case_id, severity, sla_breached)`,
        `(${st.p(e.caseId)}, ${st.p(severity)}, ${st.p(breached)})`,
        `ON CONFLICT (case_id) DO UPDATE SET severity = COALESCE(fact_case.severity, EXCLUDED.severity),
           sla_breached = fact_case.sla_breached OR EXCLUDED.sla_breached`,
      );
      st.row(
        `INSERT INTO fact_case_sla (event_id, case_id, sla_kind, outcome, due_time, event_time)`,
        `(${st.p(event.id)}, ${st.p(e.caseId)}, ${st.p(slaKind)}, ${st.p(breached ? 'BREACHED' : 'WARNING')}, ${st.p(e.dueTime ?? null)}::timestamptz, ${st.p(at)})`,
        `ON CONFLICT DO NOTHING`,
      );
      return true;
    }
    case 'csm.cases.case.escalated.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const severity = severityOf(e.severity);
      st.dim('dim_severity', severity);
      st.row(
        `INSERT INTO fact_case (case_id, severity)`,
        `(${st.p(e.caseId)}, ${st.p(severity)})`,
        `ON CONFLICT (case_id) DO UPDATE SET severity = COALESCE(EXCLUDED.severity, fact_case.severity)`,
      );
      return true;
    }
    case 'csm.cases.case.resolved.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const severity = severityOf(e.severity);
      st.dim('dim_severity', severity);
      // The latest resolution counts (a reopened case resolved again replaces its handling time).
      st.row(
        `INSERT INTO fact_case (case_id, resolve_time, handling_seconds, severity, kind, state)`,
        `(${st.p(e.caseId)}, ${st.p(e.resolveTime ?? at)}, ${st.p(e.handlingSeconds)}, ${st.p(severity)}, ${st.p(kindOf(e.kind))}, 'CASE_STATE_RESOLVED')`,
        `ON CONFLICT (case_id) DO UPDATE SET resolve_time = EXCLUDED.resolve_time, handling_seconds = EXCLUDED.handling_seconds,
           severity = COALESCE(EXCLUDED.severity, fact_case.severity), kind = COALESCE(fact_case.kind, EXCLUDED.kind), state = EXCLUDED.state`,
      );
      return true;
    }
    case 'csm.cases.case.closed.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const channel = channelOf(e.channel);
      const severity = severityOf(e.severity);
      const category = nonEmpty(e.categoryCode);
      st.dim('dim_channel', channel).dim('dim_severity', severity).category(category);
      st.row(
        `INSERT INTO fact_case (case_id, close_time, kind, channel, severity, category_code, passenger_id, sla_breached, state)`,
        `(${st.p(e.caseId)}, ${st.p(e.closeTime ?? at)}, ${st.p(kindOf(e.kind))}, ${st.p(channel)}, ${st.p(severity)}, ${st.p(category)},
                 ${st.passenger(nonEmpty(e.passengerId))}, ${st.p(e.slaBreached)}, 'CASE_STATE_CLOSED')`,
        `ON CONFLICT (case_id) DO UPDATE SET close_time = EXCLUDED.close_time, kind = COALESCE(fact_case.kind, EXCLUDED.kind),
           channel = COALESCE(fact_case.channel, EXCLUDED.channel), severity = COALESCE(EXCLUDED.severity, fact_case.severity),
           category_code = COALESCE(EXCLUDED.category_code, fact_case.category_code),
           passenger_id = COALESCE(fact_case.passenger_id, EXCLUDED.passenger_id),
           sla_breached = fact_case.sla_breached OR EXCLUDED.sla_breached, state = EXCLUDED.state`,
      );
      return true;
    }
    case 'csm.cases.case.reopened.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      st.row(
        `INSERT INTO fact_case (case_id, reopen_count, state)`,
        `(${st.p(e.caseId)}, ${st.p(Math.max(1, e.reopenCount))}, 'CASE_STATE_REOPENED')`,
        `ON CONFLICT (case_id) DO UPDATE SET reopen_count = GREATEST(fact_case.reopen_count + 1, EXCLUDED.reopen_count), state = EXCLUDED.state`,
      );
      return true;
    }
    case 'csm.cases.case.survey_recorded.v1': {
      const e = eventCodec(event.type).fromJSON(raw);
      const recordTime = e.recordTime ?? at;
      const channel = channelOf(e.channel);
      st.dim('dim_channel', channel);
      const key = st.date(recordTime);
      // One survey per case: a later record replaces an earlier one, an older redelivery never overwrites.
      st.row(
        `INSERT INTO fact_survey (case_id, passenger_id, csat, nps, channel, record_time, date_key)`,
        `(${st.p(e.caseId)}, ${st.passenger(nonEmpty(e.passengerId))}, ${st.p(e.csat ?? null)}::int, ${st.p(e.nps ?? null)}::int, ${st.p(channel)}, ${st.p(recordTime)}, ${st.p(key)})`,
        `ON CONFLICT (case_id) DO UPDATE SET passenger_id = EXCLUDED.passenger_id, csat = EXCLUDED.csat, nps = EXCLUDED.nps,
           channel = EXCLUDED.channel, record_time = EXCLUDED.record_time, date_key = EXCLUDED.date_key
         WHERE EXCLUDED.record_time >= fact_survey.record_time`,
      );
      if (e.comment.trim() !== '') sentimentRow(st, `survey:${e.caseId}`, 'SURVEY', e.caseId, nonEmpty(e.passengerId), e.comment, recordTime);
      return true;
    }
    default:
      return false; // compensation_granted and event types added later: nothing to project (yet)
  }
}

/** The sentiment of a text (the text itself is not kept); a later text of the same source replaces an earlier one. */
function sentimentRow(st: ProjectionStatement, sourceId: string, kind: string, caseId: string, passengerId: string | null, text: string, at: Date): void {
  const s = analyzeSentiment(text);
  st.row(
    `INSERT INTO fact_text_sentiment (source_id, source_kind, case_id, passenger_id, language, score, label, event_time)`,
    `(${st.p(sourceId)}, ${st.p(kind)}, ${st.p(caseId)}, ${st.passenger(passengerId)}, ${st.p(s.language)}, ${st.p(s.score)}, ${st.p(s.label)}, ${st.p(at)})`,
    `ON CONFLICT (source_id) DO UPDATE SET language = EXCLUDED.language, score = EXCLUDED.score, label = EXCLUDED.label,
       event_time = EXCLUDED.event_time, passenger_id = EXCLUDED.passenger_id
     WHERE EXCLUDED.event_time >= fact_text_sentiment.event_time`,
  );
}
