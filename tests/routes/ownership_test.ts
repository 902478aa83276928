/** Every route that reads or moves a user's objects answers 404 for another user's. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../support/app.ts";
import { call, fundedAccount, openAccount, signUp, transfer } from "../support/client.ts";

async function twoCustomers() {
  const { app } = await testApp();
  const owner = await signUp(app, "Owner");
  const intruder = await signUp(app, "Intruder");
  const account = await fundedAccount(app, owner, "100");
  const intruderAccount = await fundedAccount(app, intruder, "100");
  const list = await call<{ data: { id: string }[] }>(app, "GET", "/transactions", {
    token: owner.token,
  });
  return { app, owner, intruder, account, intruderAccount, transactionId: list.body.data[0].id };
}

bankTest("GET /accounts/{id} of another user's account answers 404", async () => {
  const { app, intruder, account } = await twoCustomers();
  const reply = await call(app, "GET", `/accounts/${account.id}`, { token: intruder.token });
  assert.equal(reply.status, 404);
  assert.equal(reply.body.code, "not_found");
});

bankTest("depositing into another user's account answers 404 and moves nothing", async () => {
  const { app, owner, intruder, account } = await twoCustomers();
  const reply = await call(app, "POST", `/accounts/${account.id}/deposit`, {
    token: intruder.token,
    body: { amount: "5" },
  });
  assert.equal(reply.status, 404);
  const after = await call(app, "GET", `/accounts/${account.id}`, { token: owner.token });
  assert.equal(after.body.balance, "100.00");
});

bankTest("withdrawing from another user's account answers 404 and moves nothing", async () => {
  const { app, owner, intruder, account } = await twoCustomers();
  const reply = await call(app, "POST", `/accounts/${account.id}/withdraw`, {
    token: intruder.token,
    body: { amount: "5" },
  });
  assert.equal(reply.status, 404);
  const after = await call(app, "GET", `/accounts/${account.id}`, { token: owner.token });
  assert.equal(after.body.balance, "100.00");
});

bankTest("transferring out of another user's account answers 404 and records nothing", async () => {
  const { app, owner, intruder, account, intruderAccount } = await twoCustomers();
  const reply = await transfer(app, intruder, {
    from_account_id: account.id,
    to_account_id: intruderAccount.id,
    amount: "5",
  });
  assert.equal(reply.status, 404);
  const after = await call<{ data: unknown[] }>(app, "GET", "/transactions", {
    token: owner.token,
  });
  assert.equal(after.body.data.length, 1);
});

bankTest("GET /transactions?account_id= of another user's account answers 404", async () => {
  const { app, intruder, account } = await twoCustomers();
  const reply = await call(app, "GET", `/transactions?account_id=${account.id}`, {
    token: intruder.token,
  });
  assert.equal(reply.status, 404);
});

bankTest("GET /transactions/{id} of another user's transaction answers 404", async () => {
  const { app, intruder, transactionId } = await twoCustomers();
  const reply = await call(app, "GET", `/transactions/${transactionId}`, { token: intruder.token });
  assert.equal(reply.status, 404);
});

bankTest("GET /users/{id} of another user answers 404", async () => {
  const { app, owner, intruder } = await twoCustomers();
  assert.equal(
    (await call(app, "GET", `/users/${owner.id}`, { token: intruder.token })).status,
    404,
  );
});

bankTest("a receiver sees an incoming transfer but not the sender's refused attempts", async () => {
  const { app } = await testApp();
  const sender = await signUp(app);
  const receiver = await signUp(app);
  const from = await fundedAccount(app, sender, "100");
  const to = await openAccount(app, receiver);
  const approved = await transfer(app, sender, {
    from_account_id: from.id,
    to_account_number: to.account_number,
    amount: "40",
  });
  const refused = await transfer(app, sender, {
    from_account_id: from.id,
    to_account_number: to.account_number,
    amount: "400",
  });
  assert.equal(refused.status, 422);
  const seen = await call<{ data: { id: string }[] }>(app, "GET", "/transactions", {
    token: receiver.token,
  });
  assert.deepEqual(seen.body.data.map((entry) => entry.id), [approved.body.id]);
  const direct = await call(app, "GET", `/transactions/${refused.body.transaction_id}`, {
    token: receiver.token,
  });
  assert.equal(direct.status, 404);
});
