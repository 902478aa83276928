/** Fault injection: what a `Sandbox-Simulate` header asks the bank to do to one request. */
import { InvalidInputError } from "./errors.ts";

/** The longest simulated latency, in milliseconds. */
export const SIMULATED_LATENCY_MS_MAX = 10_000;

/** A fault to simulate on one money-moving request. */
export type SandboxFault =
  | { kind: "error_before_commit" }
  | { kind: "error_after_commit" }
  | { kind: "drop_after_commit" }
  | { kind: "latency"; ms: number };

const LATENCY = /^latency=(\d{1,5})$/;

/** Parses the header's value; undefined when absent; anything unknown is a 400. */
export function parseSandboxFault(header: string | undefined): SandboxFault | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (
    value === "error_before_commit" || value === "error_after_commit" ||
    value === "drop_after_commit"
  ) {
    return { kind: value };
  }
  const latency = LATENCY.exec(value);
  if (latency && Number(latency[1]) <= SIMULATED_LATENCY_MS_MAX) {
    return { kind: "latency", ms: Number(latency[1]) };
  }
  throw new InvalidInputError(
    "Sandbox-Simulate",
    "must be error_before_commit, error_after_commit, drop_after_commit or latency=<ms> " +
      `with ms from 0 to ${SIMULATED_LATENCY_MS_MAX}`,
  );
}

/** Thrown inside a movement's transaction to roll it back, as `error_before_commit` asks. */
export class SimulatedFaultError extends Error {
  constructor(readonly fault: SandboxFault["kind"]) {
    super(`Simulated fault: ${fault}`);
    this.name = "SimulatedFaultError";
  }
}
