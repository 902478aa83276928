/** What a fraud rule is: a pure function from an attempted outflow and facts read for it to a verdict. */
import type { Verdict } from "../ledger.ts";
import type { Currency } from "../money.ts";

/**
 * Every kind of movement that takes money out of an account, as the planners name them. The
 * fraud rules screen these (`card_authorization` and `batch_item` arrive with their issues).
 */
export const OUTFLOW_KINDS = [
  "withdraw",
  "transfer",
  "payment_out",
  "hold",
  "card_authorization",
  "batch_item",
] as const;
/** One kind of outflow a rule may screen. */
export type OutflowKind = typeof OUTFLOW_KINDS[number];

/** The outflow being screened. */
export interface OutflowAttempt {
  kind: OutflowKind;
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
  /**
   * Approved outflows within the last `windowSeconds` before the attempt: the rule only asks
   * whether the count reached `atLeast`, so reading stops there. The window lives only here.
   */
  recentOutflowCount?: { atLeast: number; windowSeconds: number };
  /** The approved outflow's sum over DAILY_OUTFLOW_WINDOW_SECONDS before the attempt. */
  outflowLast24hMinor?: true;
}

/** The window of the `outflowLast24hMinor` fact, in seconds. */
export const DAILY_OUTFLOW_WINDOW_SECONDS = 86_400;

/** A rule, its public description, and its check. */
export interface FraudRule {
  /** The ledger reason it records, e.g. amount_limit. */
  reason: string;
  description: string;
  /** The kinds of outflow it screens; screenOutflow skips it for any other. */
  kinds: readonly OutflowKind[];
  /** Thresholds as configured, as GET /fraud/rules has always shown them. */
  thresholds: Record<string, string | number>;
  /** The sliding window it counts or sums over, in seconds, if it has one. */
  windowSeconds?: number;
  /** How many approved outflows its window allows, if it counts them. */
  maxCount?: number;
  /** Its amount in minor units of every supported currency, by code, if it has an amount. */
  amountLimits?: ReadonlyMap<string, bigint>;
  /**
   * The facts its check reads. Only these are read from the ledger: every row read inside a
   * SERIALIZABLE transaction is a predicate lock that concurrent transfers can conflict with.
   */
  needs: FactNeeds;
  check(attempt: OutflowAttempt, facts: FraudFacts): Verdict;
}

/** How a refusal names the movement: "Withdrawal of 10.00 ZAR ...", "6th hold within 60 s". */
export const OUTFLOW_NOUNS: Readonly<Record<OutflowKind, string>> = {
  withdraw: "withdrawal",
  transfer: "transfer",
  payment_out: "payment",
  hold: "hold",
  card_authorization: "card authorization",
  batch_item: "batch item",
};

/** A rule's amount in the attempt's currency; a currency the rule has no figure for is a bug. */
export function limitIn(limits: ReadonlyMap<string, bigint>, currency: Currency): bigint {
  const limit = limits.get(currency.code);
  if (limit === undefined) throw new Error(`No fraud threshold for ${currency.code}`);
  return limit;
}
