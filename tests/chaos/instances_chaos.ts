/**
 * Stateless: two app processes on one database keep the bank's invariants together. A client's
 * retries land on either instance, so an Idempotency-Key claimed on one is honoured by the other.
 */
import assert from "node:assert/strict";
import { assertMixCovered } from "./mix_invariants.ts";
import {
  assertBankInvariants,
  chaosDatabase,
  closeTheMix,
  driveTransfers,
  fundedCustomers,
  harnessConnection,
  newMixState,
  serverEnv,
  type ServerProcess,
  settleOpenTransfers,
  startServer,
} from "./support.ts";

const PORTS = [8410, 8411];

Deno.test({
  name: "two instances on one database keep every invariant under the whole mix, clock advancing",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const database = await chaosDatabase();
    const sql = harnessConnection(database.url);
    const servers: ServerProcess[] = [];
    try {
      for (const port of PORTS) servers.push(await startServer(serverEnv(database.url, port)));
      // Few customers, so the two instances contend for the same accounts.
      const customers = await fundedCustomers(servers[0].baseUrl, 6, "300.00");
      const baseUrls = () => servers.map((server) => server.baseUrl);
      const mix = newMixState();
      const report = await driveTransfers({
        baseUrls,
        customers,
        workers: 16,
        durationMs: 8_000,
        mix,
      });
      assert.deepEqual(
        Object.keys(report.answers).filter((label) => label.startsWith("5") && label !== "503"),
        [],
      );
      assert.ok((report.answers["201"] ?? 0) > 0);
      const captured = report.attempts.filter((a) => a.kind === "card" && a.status === 200);
      assert.ok(captured.length > 0, "card purchases were captured in the mix");
      console.log("load", JSON.stringify(report.answers), report.badRequests ?? []);
      assert.ok((report.clockAdvances ?? 0) > 0, "the shared clock advanced under load");
      // An attempt retrying (a 503 or a key in flight) when the load stopped is asked again until
      // it has its answer: every one must get one.
      const open = await settleOpenTransfers(report, baseUrls, 15_000, mix);
      assert.deepEqual(open.map((attempt) => attempt.key), []);
      const unanswered = await closeTheMix(report, { baseUrls, customers, mix }, 15_000);
      assert.deepEqual(unanswered.map((attempt) => attempt.key), []);
      await assertBankInvariants(sql, report.attempts);
      console.log("mix", JSON.stringify(await assertMixCovered(sql, report.attempts)));
    } finally {
      for (const server of servers) await server.kill("SIGTERM");
      await sql.end();
      await database.drop();
    }
  },
});

Deno.test({
  name: "one Idempotency-Key sent to both instances at once posts exactly one transfer",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const database = await chaosDatabase();
    const sql = harnessConnection(database.url);
    const servers: ServerProcess[] = [];
    try {
      for (const port of PORTS) servers.push(await startServer(serverEnv(database.url, port)));
      const [payer, payee] = await fundedCustomers(servers[0].baseUrl, 2, "100.00");
      const key = crypto.randomUUID();
      const body = JSON.stringify({
        from_account_id: payer.accountId,
        to_account_id: payee.accountId,
        amount: "10.00",
        description: `chaos:${key}`,
      });
      const send = (baseUrl: string) =>
        fetch(`${baseUrl}/transactions/transfer`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${payer.token}`,
            "idempotency-key": key,
          },
          body,
        }).then(async (response) => ({ status: response.status, body: await response.json() }));
      const answers = await Promise.all([
        ...servers.map((server) => send(server.baseUrl)),
        ...servers.map((server) => send(server.baseUrl)),
      ]);
      for (const answer of answers) assert.ok([201, 409].includes(answer.status));
      const [{ rows }] = await sql<{ rows: bigint }[]>`
        SELECT count(*) AS rows FROM transactions WHERE description = ${`chaos:${key}`}`;
      assert.equal(rows, 1n);
      const replays = await Promise.all(servers.map((server) => send(server.baseUrl)));
      const ids = new Set(replays.map((reply) => reply.body.id));
      assert.equal(ids.size, 1, "both instances replay the same transaction");
      await assertBankInvariants(sql, []);
    } finally {
      for (const server of servers) await server.kill("SIGTERM");
      await sql.end();
      await database.drop();
    }
  },
});
