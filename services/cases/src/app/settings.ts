import { cases } from '@csm/contracts';
import { ConfigError, z } from '@csm/platform/config';
import type { Config } from '../config';
import { calendarProblems, type BusinessCalendar } from '../domain/calendar';
import { DAY } from '../domain/clock';
import type { DomainRules } from '../domain/case';
import { EU261_DEFAULTS, eu261Policy, type Eu261Config, type RegulationPolicy } from '../domain/regulation';
import { CUSTOMER_GRADES } from '../domain/severity';
import { DEFAULT_SLA_RULES, type SlaRule } from '../domain/sla';
import { DEFAULT_MILES_LIMITS, DEFAULT_MONEY_LIMITS } from './cases-app';

/** Enum names in JSON config ("SEVERITY_SEVERE" or "SEVERE"). */
const enumName = <E extends Record<string, string | number>>(e: E, prefix: string) =>
  z.string().transform((v, ctx) => {
    const key = v.startsWith(prefix) ? v : `${prefix}${v.toUpperCase()}`;
    const n = e[key];
    if (typeof n !== 'number' || n <= 0) {
      ctx.addIssue({ code: 'custom', message: `unknown ${prefix.slice(0, -1).toLowerCase()} "${v}"` });
      return z.NEVER;
    }
    return n as E[keyof E];
  });

const ruleSchema = z.object({
  kind: enumName(cases.SlaKind, 'SLA_KIND_'),
  targetMinutes: z.number().int().positive(),
  severity: enumName(cases.Severity, 'SEVERITY_').optional(),
  category: z.string().min(1).optional(),
  grade: z.enum(CUSTOMER_GRADES as [string, ...string[]]).optional(),
  caseKind: enumName(cases.CaseKind, 'CASE_KIND_').optional(),
  calendarId: z.string().min(1).optional(),
});
const calendarSchema = z.object({
  zone: z.string().min(1),
  hours: z.record(z.string(), z.array(z.string())).default({}),
  holidays: z.array(z.string()).default([]),
});
const limitsSchema = z.record(z.string(), z.number().int().nonnegative());
const eu261Schema = z.object({
  bands: z.array(z.object({ maxKm: z.number().positive().nullable(), amountMinor: z.number().int().nonnegative(), reducedBelowMinutes: z.number().int().nonnegative() })).min(1).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  thresholdMinutes: z.number().int().nonnegative().optional(),
  reductionFactor: z.number().min(0).max(1).optional(),
  exemptDelayCodes: z.array(z.string()).optional(),
  cancellationNoticeDays: z.number().int().nonnegative().optional(),
});

function parse<T>(name: string, schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${name} ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'is invalid'}`, [name]);
  }
  return r.data;
}

export interface Settings {
  rules: DomainRules;
  milesLimits: Record<string, number>;
  moneyLimits: Record<string, number>;
  regulations: RegulationPolicy[];
}

/** The service's business settings from its environment: DOMAIN defaults, overridden/extended by the JSON variables. */
export function settingsFromConfig(config: Config): Settings {
  const calendars: Record<string, BusinessCalendar> = {};
  if (config.CSM_CASES_CALENDARS !== undefined) {
    const raw = parse('CSM_CASES_CALENDARS', z.record(z.string(), calendarSchema), config.CSM_CASES_CALENDARS);
    for (const [id, c] of Object.entries(raw)) {
      const cal: BusinessCalendar = { id, zone: c.zone, hours: c.hours as BusinessCalendar['hours'], holidays: c.holidays };
      const problems = calendarProblems(cal);
      if (problems.length > 0) throw new ConfigError(`Invalid configuration: CSM_CASES_CALENDARS ${id}: ${problems.join('; ')}`, ['CSM_CASES_CALENDARS']);
      calendars[id] = cal;
    }
  }
  const extra = config.CSM_CASES_SLA_RULES === undefined ? [] : (parse('CSM_CASES_SLA_RULES', z.array(ruleSchema), config.CSM_CASES_SLA_RULES) as SlaRule[]);
  for (const r of extra) {
    if (r.calendarId !== undefined && calendars[r.calendarId] === undefined) {
      throw new ConfigError(`Invalid configuration: CSM_CASES_SLA_RULES names calendar "${r.calendarId}" that CSM_CASES_CALENDARS does not define`, ['CSM_CASES_SLA_RULES']);
    }
  }
  const eu = config.CSM_CASES_EU261 === undefined ? {} : parse('CSM_CASES_EU261', eu261Schema, config.CSM_CASES_EU261);
  const eu261: Eu261Config = { ...EU261_DEFAULTS, ...Object.fromEntries(Object.entries(eu).filter(([, v]) => v !== undefined)) };
  return {
    rules: {
      sla: { rules: [...DEFAULT_SLA_RULES, ...extra], warnRatio: config.CSM_CASES_SLA_WARN_RATIO, calendars },
      reopenWindowMs: config.CSM_CASES_REOPEN_WINDOW_DAYS * DAY,
    },
    milesLimits: { ...DEFAULT_MILES_LIMITS, ...(config.CSM_CASES_MILES_LIMITS === undefined ? {} : parse('CSM_CASES_MILES_LIMITS', limitsSchema, config.CSM_CASES_MILES_LIMITS)) },
    moneyLimits: { ...DEFAULT_MONEY_LIMITS, ...(config.CSM_CASES_MONEY_LIMITS === undefined ? {} : parse('CSM_CASES_MONEY_LIMITS', limitsSchema, config.CSM_CASES_MONEY_LIMITS)) },
    regulations: [eu261Policy(eu261)],
  };
}
