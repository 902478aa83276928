/** The shape of bench/results.json: what one `deno task bench` run measured. */

/** One measured load level or scenario. */
export interface Measured {
  scenario: string;
  connections: number;
  /** How long autocannon ran it. */
  seconds: number;
  /** Every answer per second, approved or refused. */
  perSecond: number;
  /** Approved answers per second (2xx; for card authorizations, those not declined). */
  approvedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Answers counted exactly, from autocannon's per-status counts or the scenario's own. */
  approved: number;
  /** 422 answers: refusals the bank recorded (velocity rule, mostly). */
  refused: number;
  non2xx: number;
  serverErrors: number;
  serializationRetries: number;
  /** Transfers per committed group (db/transfers.ts): how much committing together took place. */
  transfersPerGroup: number;
  /** CPU the server process spent per request (user + system). */
  serverCpuMsPerRequest: number;
}

/** One kind of request of the every-movement workload. */
export interface KindMeasured {
  kind: string;
  /** Its share of the workload's requests, fixed by the cycle each connection runs. */
  share: number;
  requests: number;
  perSecond: number;
  approvedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  serverErrors: number;
  /** Dependent steps not sent because the step before was refused (a read went instead). */
  skipped: number;
  /** Every answer that was not an approval, by status and code: "422 fraud_rejected". */
  outcomes: Record<string, number>;
}

/** The every-movement workload: the whole, and each kind. */
export interface MovementsMeasured extends Measured {
  kinds: KindMeasured[];
}

/** One pgbench level. */
export interface PgbenchLevel {
  connections: number;
  clients: number;
  tps: number;
  latencyMs: number;
  /** Share of transactions pgbench retried after a serialization failure (bank shape only). */
  retriedPct?: number;
}

/** Everything one run measured. */
export interface BenchResults {
  startedAt: string;
  machine: string;
  command: string;
  settings: Record<string, string | number>;
  uniform: Measured[];
  pgbench: PgbenchLevel[];
  /** pgbench running bench/transfer_shape.sql: the bank's transfer without the app. */
  bankShape?: PgbenchLevel[];
  hot: Measured;
  /** The hot account again, on a server started with FRAUD_VELOCITY_RULE=off. */
  hotVelocityOff: Measured;
  mixed: Measured;
  movements: MovementsMeasured;
  memory?: { seconds: number; samplesKib: number[] };
}
