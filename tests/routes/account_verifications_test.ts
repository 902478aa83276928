/** POST /account_verifications: confirmation of payee against this bank's account holders. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import { call, type Customer, openAccount, signUp } from "../support/client.ts";
import type { Requestable } from "../support/client.ts";

async function verify(app: Requestable, customer: Customer, body: Record<string, unknown>) {
  return await call<{ result: string; matched_name: string | null }>(
    app,
    "POST",
    "/account_verifications",
    { token: customer.token, body },
  );
}

bankTest("a payee check compares the name with the account holder's", async () => {
  const { app } = await testApp();
  const payee = await signUp(app, "Thandiwe Nkosi-Dlamini");
  const account = await openAccount(app, payee);
  const payer = await signUp(app);
  const number = account.account_number;
  const cases: [string, string, string | null][] = [
    ["thandiwe  NKOSI dlamini", "match", null],
    ["Thandiwe Nkosi Dlamoni", "close_match", "Thandiwe Nkosi-Dlamini"],
    ["Acme Supplies", "no_match", null],
  ];
  for (const [name, result, matched] of cases) {
    const reply = await verify(app, payer, { account_number: number, name });
    assert.equal(reply.status, 200, name);
    assert.deepEqual(reply.body, { result, matched_name: matched }, name);
  }
  const own = await verify(app, payer, { account_number: number, name: "x", bank_code: "SANDBOX" });
  assert.equal(own.body.result, "no_match");
});

bankTest("a payee check at another bank is unavailable; an unknown number no match", async () => {
  const { app } = await testApp();
  const payer = await signUp(app);
  const elsewhere = await verify(app, payer, {
    account_number: "62001234567",
    name: "Acme",
    bank_code: "250655",
  });
  assert.deepEqual(elsewhere.body, { result: "unavailable", matched_name: null });
  const unknown = await verify(app, payer, { account_number: "0000000000", name: "Acme" });
  assert.deepEqual(unknown.body, { result: "no_match", matched_name: null });
});

bankTest("the 31st payee check in a minute is a 429 with Retry-After", async () => {
  const { app } = await testApp();
  const payer = await signUp(app);
  const other = await signUp(app);
  const body = { account_number: "0000000000", name: "Acme" };
  for (let i = 0; i < 30; i++) assert.equal((await verify(app, payer, body)).status, 200);
  const refused = await verify(app, payer, body);
  assert.equal(refused.status, 429);
  assert.equal(refused.body.result, undefined);
  assert.ok(Number(refused.headers.get("retry-after")) >= 1);
  assert.equal((await verify(app, other, body)).status, 200, "the limit is per user");
});

bankTest("a payee check with a bad or unknown field is a 400", async () => {
  const { app } = await testApp();
  const payer = await signUp(app);
  for (
    const body of [
      { account_number: "12", name: "Acme" },
      { account_number: "0000000000", name: "" },
      { account_number: "0000000000" },
      { account_number: "0000000000", name: "Acme", amount: "5" },
    ]
  ) {
    assert.equal((await verify(app, payer, body)).status, 400, JSON.stringify(body));
  }
});
