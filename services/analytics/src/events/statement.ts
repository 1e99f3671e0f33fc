import type { SqlTx } from '@csm/platform/stores';
import { businessDate, dateKey } from '../domain/business-date';

type DimTable = 'dim_channel' | 'dim_severity' | 'dim_airport' | 'dim_carrier' | 'dim_tier';

/**
 * One projection write as ONE statement: the dimension rows it references are inserted by data-modifying CTEs in
 * front of the fact upsert (ON CONFLICT DO NOTHING), so a projected event costs one round trip, not one per dimension.
 *
 * Set-based form for batches: `row(head, values, tail)` collects fact rows instead of running them, and `flush(tx)`
 * writes everything collected as ONE statement — rows with the same head and tail become one multi-row
 * `INSERT … VALUES (…), (…) ON CONFLICT …`, each such insert a CTE. Only rows of DIFFERENT aggregates may share a
 * statement (its CTEs all see the same snapshot); two rows for one conflict key make PostgreSQL reject the statement
 * ("cannot affect row a second time"), which rolls back the batch instead of merging it wrongly.
 */
export class ProjectionStatement {
  readonly params: unknown[] = [];
  private readonly ctes: string[] = [];
  /** Collected fact rows, by `head\u0000tail`, in first-seen order. */
  private readonly rows = new Map<string, { head: string; tail: string; values: string[] }>();
  /** Dimension rows already in this statement (two CTEs inserting one key would conflict with each other). */
  private readonly seen = new Set<string>();

  constructor(private readonly timeZone: string) {}

  /** Adds a parameter; returns its placeholder. */
  p(value: unknown): string {
    this.params.push(value === undefined ? null : value);
    return `$${this.params.length}`;
  }

  private first(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  dim(table: DimTable, code: string | null): this {
    if (code !== null && this.first(`${table}:${code}`)) this.ctes.push(`INSERT INTO ${table} (code) VALUES (${this.p(code)}) ON CONFLICT DO NOTHING`);
    return this;
  }

  category(code: string | null): this {
    if (code === null || !this.first(`dim_category:${code}`)) return this;
    const dot = code.lastIndexOf('.');
    const parent = dot > 0 ? code.slice(0, dot) : null;
    this.ctes.push(`INSERT INTO dim_category (code, parent_code) VALUES (${this.p(code)}, ${this.p(parent)}::text) ON CONFLICT DO NOTHING`);
    return this;
  }

  /** The business date of `instant` in the date dimension; returns its key (YYYYMMDD). */
  date(instant: Date): number {
    const date = businessDate(instant, this.timeZone);
    const key = dateKey(date);
    if (!this.first(`dim_date:${key}`)) return key;
    this.ctes.push(
      `INSERT INTO dim_date (date_key, full_date, iso_year, iso_week, month, day_of_week)
       SELECT ${this.p(key)}::int, d, extract(isoyear FROM d)::int, extract(week FROM d)::int, extract(month FROM d)::int, extract(isodow FROM d)::int
         FROM (SELECT ${this.p(date)}::date AS d) x ON CONFLICT DO NOTHING`,
    );
    return key;
  }

  /** The passenger id after merges (survivor) and erasures (NULL), as an SQL expression. */
  passenger(id: string | null): string {
    const ph = this.p(id);
    return `(SELECT CASE WHEN r.passenger_id IS NULL THEN x.p ELSE r.survivor_id END
               FROM (SELECT ${ph}::text AS p) x LEFT JOIN passenger_redirect r ON r.passenger_id = x.p)`;
  }

  /** Collects one row `values` (a parenthesised tuple) for `head VALUES … tail`, written by `flush`. */
  row(head: string, values: string, tail: string): this {
    const key = `${head}\u0000${tail}`;
    const group = this.rows.get(key);
    if (group) group.values.push(values);
    else this.rows.set(key, { head, tail, values: [values] });
    return this;
  }

  /** Writes the collected rows and their dimensions in one statement (nothing when no row was collected). */
  async flush(tx: SqlTx): Promise<void> {
    const inserts = [...this.rows.values()].map((g) => `${g.head} VALUES ${g.values.join(',\n  ')}\n${g.tail}`);
    this.rows.clear();
    const [only] = inserts;
    if (only === undefined) return;
    if (inserts.length === 1) return this.run(tx, only);
    const ctes = [...this.ctes.map((c, i) => `d${i} AS (${c})`), ...inserts.map((c, i) => `f${i} AS (${c})`)];
    await tx.query(`WITH ${ctes.join(',\n')}\nSELECT 1`, this.params);
  }

  async run(tx: SqlTx, main: string): Promise<void> {
    const sql = this.ctes.length === 0 ? main : `WITH ${this.ctes.map((c, i) => `d${i} AS (${c})`).join(',\n')}\n${main}`;
    await tx.query(sql, this.params);
  }
}
