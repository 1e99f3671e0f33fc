import * as pb from '../gen/csm/analytics/v1/events';
import { defineTopic, event } from './define';

/** Analytics events, keyed by alert id. */
export const analyticsTopic = defineTopic('csm.analytics.v1', 'csm.analytics.v1', {
  'csm.analytics.alert.raised.v1': event('AlertRaised', pb.AlertRaised, (e) => e.alertId),
});
