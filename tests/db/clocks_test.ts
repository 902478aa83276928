/** Shared clocks under concurrency: members of one clock never read different times. */
import assert from "node:assert/strict";
import { testApp } from "../support/app.ts";
import { call, type Customer, signUp } from "../support/client.ts";
import { onRealPostgres } from "../support/database.ts";

const MEMBERS = 4;
const JOINERS = 4;
const ADVANCES = 12;

Deno.test({
  name: "concurrent advances and joins keep every member of a clock at one offset",
  // One embedded connection runs everything one at a time: there would be nothing to race.
  ignore: !onRealPostgres(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const { app, sql } = await testApp();
    const members: Customer[] = [];
    for (let i = 0; i < MEMBERS; i++) members.push(await signUp(app));
    const [owner] = members;
    const clock = await call(app, "GET", "/simulations/clock", { token: owner.token });
    const clockId = String(clock.body.id);
    for (const member of members.slice(1)) {
      await call(app, "POST", "/simulations/clock/join", {
        token: member.token,
        body: { clock_id: clockId },
      });
    }
    const joiners: Customer[] = [];
    for (let i = 0; i < JOINERS; i++) joiners.push(await signUp(app));
    const replies = await Promise.all([
      ...Array.from(
        { length: ADVANCES },
        (_, i) =>
          call(app, "POST", "/simulations/clock/advance", {
            token: members[i % MEMBERS].token,
            body: { seconds: 60 },
          }),
      ),
      ...joiners.map((joiner) =>
        call(app, "POST", "/simulations/clock/join", {
          token: joiner.token,
          body: { clock_id: clockId },
        })
      ),
    ]);
    assert.deepEqual(replies.map((reply) => reply.status), replies.map(() => 200));
    const offsets = await sql<{ offsetSeconds: bigint; members: bigint }[]>`
      SELECT clock_offset_seconds AS offset_seconds, count(*) AS members FROM users
      WHERE clock_id = ${clockId} GROUP BY clock_offset_seconds`;
    assert.deepEqual([...offsets], [{
      offsetSeconds: BigInt(ADVANCES * 60),
      members: BigInt(MEMBERS + JOINERS),
    }]);
  },
});
