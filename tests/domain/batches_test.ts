/**
 * The batch rule with no database: items decided in order as one group, and an atomic batch with
 * any refusal turned into nothing moving. Each test names the rule it guards.
 */
import assert from "node:assert/strict";
import { type BatchCommand, batchOutcome, planBatch } from "../../domain/batches.ts";
import { InvalidInputError } from "../../domain/errors.ts";
import { createFraudRules } from "../../domain/fraud/mod.ts";
import type { CommandFacts, Decision, LockedAccount } from "../../domain/pipeline.ts";
import { PLANNERS } from "../../domain/planners/mod.ts";
import { lockedAccount, NO_ROWS, ZA_CLEARING } from "../support/pipeline_fixtures.ts";

const NOW = new Date("2026-06-01T10:00:00Z");
const ALICE = "00000000-0000-4000-8000-00000000000a";
const BOB = "00000000-0000-4000-8000-00000000000b";
const rules = createFraudRules({ maxTransferAmount: "150000", maxTransfers: 5, windowSeconds: 60 });
const quiet: CommandFacts = { now: NOW, recentCount: 0n, outflow24h: 0n, held: 0n };

function account(id: string, balance: bigint, userId = ALICE): LockedAccount {
  return lockedAccount(id, balance, userId);
}

function transfer(from: string, to: string, amount: string): BatchCommand {
  return {
    kind: "transfer",
    userId: ALICE,
    fromAccountId: from,
    toAccountId: to,
    amount,
    description: null,
    realNow: NOW,
  };
}

function decide(commands: BatchCommand[], accounts: LockedAccount[], atomic: boolean) {
  let next = 0;
  return planBatch(
    commands,
    { accounts, ...NO_ROWS, perCommand: commands.map(() => quiet) },
    PLANNERS,
    { rules, atomic, batchId: "batch-1", newId: () => `id-${++next}` },
  );
}

function decided(outcome: ReturnType<typeof decide>) {
  if (outcome.kind !== "decided") throw outcome.error;
  return outcome;
}

const rowsOf = (decisions: Decision[]) =>
  decisions.map((decision) => {
    if ("error" in decision) return ["error", (decision.error as Error).name];
    const [row] = decision.plan.ledger;
    return [row.status, row.reason];
  });

Deno.test("planBatch: item 2 spends what item 1 brought in (in-order effects)", () => {
  const outcome = decided(decide(
    [transfer("rich", "empty", "80"), transfer("empty", "bob", "80")],
    [account("rich", 80_00n), account("empty", 0n), account("bob", 0n, BOB)],
    true,
  ));
  assert.equal(outcome.rejected, false);
  assert.deepEqual(rowsOf(outcome.decisions), [["approved", null], ["approved", null]]);
  assert.equal(outcome.balances.get("bob")?.balance, 80_00n);
  assert.equal(outcome.balances.get("empty")?.balance, 0n);
});

Deno.test("planBatch: an atomic batch with a refusal records every item refused and moves nothing", () => {
  const outcome = decided(decide(
    [transfer("a", "bob", "60"), transfer("a", "bob", "60")],
    [account("a", 100_00n), account("bob", 0n, BOB)],
    true,
  ));
  assert.equal(outcome.rejected, true);
  assert.deepEqual(rowsOf(outcome.decisions), [
    ["rejected", "batch_rejected"],
    ["rejected", "insufficient_funds"],
  ]);
  assert.equal(outcome.balances.size, 0, "no balance changes");
  const events = outcome.decisions.flatMap((d) => "plan" in d ? d.plan.events : []);
  assert.ok(events.every((event) => event.type === "transaction.rejected"));
  assert.ok(events.every((event) => event.userId === ALICE), "the receiver hears of nothing");
});

Deno.test("planBatch: the refused item keeps the reason it was refused for in order", () => {
  // Item 1 is refused only because item 0 spent the money first; undone, it must still say so.
  const outcome = decided(decide(
    [transfer("a", "bob", "100"), transfer("a", "bob", "1")],
    [account("a", 100_00n), account("bob", 0n, BOB)],
    true,
  ));
  assert.deepEqual(rowsOf(outcome.decisions), [
    ["rejected", "batch_rejected"],
    ["rejected", "insufficient_funds"],
  ]);
});

Deno.test("planBatch: a non-atomic batch keeps each item's own decision", () => {
  const outcome = decided(decide(
    [transfer("a", "bob", "60"), transfer("a", "bob", "60"), transfer("a", "bob", "40")],
    [account("a", 100_00n), account("bob", 0n, BOB)],
    false,
  ));
  assert.equal(outcome.rejected, false);
  assert.deepEqual(rowsOf(outcome.decisions), [
    ["approved", null],
    ["rejected", "insufficient_funds"],
    ["approved", null],
  ]);
  assert.equal(outcome.balances.get("a")?.balance, 0n);
});

Deno.test("planBatch: an item on another user's account fails alone, and refuses an atomic batch", () => {
  const commands = [transfer("a", "bob", "10"), transfer("bob", "a", "10")];
  const accounts = [account("a", 100_00n), account("bob", 50_00n, BOB)];
  const loose = decided(decide(commands, accounts, false));
  assert.deepEqual(rowsOf(loose.decisions), [["approved", null], ["error", "NotFoundError"]]);
  const strict = decided(decide(commands, accounts, true));
  assert.equal(strict.rejected, true);
  assert.deepEqual(rowsOf(strict.decisions), [
    ["rejected", "batch_rejected"],
    ["error", "NotFoundError"],
  ]);
  assert.equal(strict.balances.size, 0);
});

Deno.test("planBatch: velocity counts the earlier items of the same batch", () => {
  const commands = Array.from({ length: 6 }, () => transfer("a", "b", "1"));
  const outcome = decided(decide(commands, [account("a", 100_00n), account("b", 0n)], false));
  assert.deepEqual(rowsOf(outcome.decisions)[5], ["rejected", "velocity_limit"]);
});

Deno.test("planBatch: a malformed item makes the batch invalid, naming the item's index", () => {
  const outcome = decide(
    [transfer("a", "b", "1"), transfer("a", "b", "1.001")],
    [account("a", 100_00n), account("b", 0n)],
    false,
  );
  assert.equal(outcome.kind, "invalid");
  assert.ok(outcome.kind === "invalid" && outcome.error instanceof InvalidInputError);
  assert.equal(outcome.kind === "invalid" ? outcome.error.field : "", "items.1.amount");
});

Deno.test("planBatch: an atomic bulk payment refused as a whole leaves only rejected payments", () => {
  const payment = (amount: string): BatchCommand => ({
    kind: "payment_out",
    userId: ALICE,
    accountId: "a",
    amount,
    counterparty: { name: "Acme", bank_code: "250655", account_number: "62001234567" },
    description: null,
    realNow: NOW,
    rail: "instant",
    clearing: ZA_CLEARING,
  });
  const outcome = decided(decide([payment("10"), payment("500")], [account("a", 100_00n)], true));
  assert.equal(outcome.rejected, true);
  const payments = outcome.decisions.flatMap((d) => "plan" in d ? d.plan.payments : []);
  assert.deepEqual(payments.map((p) => p.status), ["rejected", "rejected"]);
  assert.deepEqual(rowsOf(outcome.decisions), [
    ["rejected", "batch_rejected"],
    ["rejected", "insufficient_funds"],
  ]);
});

Deno.test("planBatch: every item's plan carries the batch's id, refused whole or not", () => {
  for (const atomic of [true, false]) {
    const outcome = decided(decide(
      [transfer("a", "bob", "60"), transfer("a", "bob", "60")],
      [account("a", 100_00n), account("bob", 0n, BOB)],
      atomic,
    ));
    const ids = outcome.decisions.map((d) => "plan" in d ? d.plan.batchId : "error");
    assert.deepEqual(ids, ["batch-1", "batch-1"], `atomic: ${atomic}`);
  }
});

Deno.test("batchOutcome: the record and the event count the items as they ended", () => {
  const outcome = decided(decide(
    [transfer("a", "bob", "60"), transfer("a", "bob", "60"), transfer("nobody", "bob", "1")],
    [account("a", 100_00n), account("bob", 0n, BOB)],
    false,
  ));
  const { record, event } = batchOutcome(
    { id: "batch-1", atomic: false, kind: "transfer", userId: ALICE, at: NOW },
    outcome,
  );
  const counts = { status: "posted", items: 3, approved: 1, rejected: 1, failed: 1 };
  assert.deepEqual(record, {
    id: "batch-1",
    atomic: false,
    ...counts,
    kind: "transfer",
    userId: ALICE,
    createdAt: NOW,
  });
  assert.deepEqual(event, {
    userId: ALICE,
    type: "batch.completed",
    object: { id: "batch-1", atomic: false, ...counts },
    createdAt: NOW,
  });
});
