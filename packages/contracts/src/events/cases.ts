import * as pb from '../gen/csm/cases/v1/events';
import { defineTopic, event } from './define';

/** Case events, keyed by case id. */
export const casesTopic = defineTopic('csm.cases.v1', 'csm.cases.v1', {
  'csm.cases.case.opened.v1': event('CaseOpened', pb.CaseOpened, (e) => e.caseId),
  'csm.cases.case.classified.v1': event('CaseClassified', pb.CaseClassified, (e) => e.caseId),
  'csm.cases.case.assigned.v1': event('CaseAssigned', pb.CaseAssigned, (e) => e.caseId),
  'csm.cases.case.state_changed.v1': event('CaseStateChanged', pb.CaseStateChanged, (e) => e.caseId),
  'csm.cases.case.sla_warning.v1': event('CaseSlaWarning', pb.CaseSlaWarning, (e) => e.caseId),
  'csm.cases.case.sla_breached.v1': event('CaseSlaBreached', pb.CaseSlaBreached, (e) => e.caseId),
  'csm.cases.case.escalated.v1': event('CaseEscalated', pb.CaseEscalated, (e) => e.caseId),
  'csm.cases.case.compensation_granted.v1': event('CaseCompensationGranted', pb.CaseCompensationGranted, (e) => e.caseId),
  'csm.cases.case.resolved.v1': event('CaseResolved', pb.CaseResolved, (e) => e.caseId),
  'csm.cases.case.closed.v1': event('CaseClosed', pb.CaseClosed, (e) => e.caseId),
  'csm.cases.case.reopened.v1': event('CaseReopened', pb.CaseReopened, (e) => e.caseId),
  'csm.cases.case.survey_recorded.v1': event('CaseSurveyRecorded', pb.CaseSurveyRecorded, (e) => e.caseId),
});
