import type { ProfileApp } from '../app/profile-app';

const MAX_DISRUPTIONS_KEPT = 50;

/** The effect of each consumed event on a passenger's dynamic data (see consumers.ts). */
export class PassengerStatsEffects {
  constructor(private readonly app: ProfileApp) {}

  enrolled(eventId: string, passengerId: string, memberId: string, memberNumber: string) {
    return this.app.applyEvent({ passengerId }, eventId, {
      memberId,
      // The FFP number is learnt from loyalty when the profile has none (never overwrites one an agent entered).
      data: (d) => (d.ffpNumber || !/^[A-Z0-9]{6,20}$/.test(memberNumber.toUpperCase()) ? null : { ...d, ffpNumber: memberNumber.toUpperCase() }),
    });
  }

  accrued(eventId: string, memberId: string, miles: number, flightId: string, activityDate: string) {
    const valuePerMile = this.app.settings.valuePerMileMinor;
    return this.app.applyEvent({ memberId }, eventId, {
      stats: (s) => {
        if (miles > 0) s.lifetimeValueMinor += miles * valuePerMile;
        if (flightId) {
          s.tripsFlown += 1;
          if (activityDate >= s.lastFlightDate) {
            s.lastFlightDate = activityDate;
            s.lastFlightId = flightId;
          }
        }
        return miles > 0 || flightId !== '';
      },
    });
  }

  tierChanged(eventId: string, memberId: string, tier: string) {
    return this.app.applyEvent({ memberId }, eventId, {
      stats: (s) => {
        if (s.loyaltyTier === tier) return false;
        s.loyaltyTier = tier;
        return true;
      },
    });
  }

  caseOpened(eventId: string, passengerId: string, caseId: string, categoryCode: string, at: Date) {
    const disruption = this.app.settings.disruptionCategories.has(categoryCode.split('.')[0] ?? '') || this.app.settings.disruptionCategories.has(categoryCode);
    return this.app.applyEvent({ passengerId }, eventId, {
      stats: (s) => {
        if (!s.openCaseIds.includes(caseId)) s.openCaseIds.push(caseId);
        if (disruption) s.disruptionTimes = [...s.disruptionTimes, at.toISOString()].sort().slice(-MAX_DISRUPTIONS_KEPT);
        return true;
      },
    });
  }

  caseClosed(eventId: string, passengerId: string, caseId: string) {
    return this.app.applyEvent({ passengerId }, eventId, {
      stats: (s) => {
        const before = s.openCaseIds.length;
        s.openCaseIds = s.openCaseIds.filter((c) => c !== caseId);
        return s.openCaseIds.length !== before;
      },
    });
  }

  survey(eventId: string, passengerId: string, csat: number | undefined, nps: number | undefined) {
    return this.app.applyEvent({ passengerId }, eventId, {
      stats: (s) => {
        if (csat !== undefined) s.lastCsat = csat;
        if (nps !== undefined) s.lastNps = nps;
        return csat !== undefined || nps !== undefined;
      },
    });
  }
}
