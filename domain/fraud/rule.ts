/** What a fraud rule is: a pure function from an attempted outflow and facts read for it to a verdict. */
import type { Verdict } from "../ledger.ts";
import type { Currency } from "../money.ts";

/** The outflow being screened. */
export interface OutflowAttempt {
  /** Minor units of `currency`. */
  amount: bigint;
  currency: Currency;
  /** The user's sandbox clock at the attempt. */
  now: Date;
}

/** Facts the database reads for the rules, inside the movement's own transaction. */
export interface FraudFacts {
  /**
   * Approved outflows from the source account within the velocity window, counted up to the
   * largest `atLeast` any rule asked for (a larger count reads as that number).
   */
  recentOutflowCount: number;
  /** Minor units sent out of the source account (approved) in the 24 hours before `now`. */
  outflowLast24hMinor: bigint;
}

/** Which facts a rule reads, and how much of them. */
export interface FactNeeds {
  /** The rule only asks whether the count reached `atLeast`: reading stops there. */
  recentOutflowCount?: { atLeast: number };
  outflowLast24hMinor?: true;
}

/** A rule, its public description, and its check. */
export interface FraudRule {
  /** The ledger reason it records, e.g. amount_limit. */
  reason: string;
  description: string;
  /** Thresholds as shown by GET /fraud/rules. */
  thresholds: Record<string, string | number>;
  /**
   * The facts its check reads. Only these are read from the ledger: every row read inside a
   * SERIALIZABLE transaction is a predicate lock that concurrent transfers can conflict with.
   */
  needs: FactNeeds;
  check(attempt: OutflowAttempt, facts: FraudFacts): Verdict;
}
