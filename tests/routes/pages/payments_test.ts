/** The Payments page, the sandbox clock control, holds and the statement on the account page. */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../../support/app.ts";
import { call, fundedAccount, signUp } from "../../support/client.ts";
import { PageClient } from "../../support/pages.ts";
import { placeHold, sendPayment } from "../../support/payments.ts";

const COUNTERPARTY = { counterparty_name: "Acme Supplies", bank_code: "250655" };

async function customerWithMoney(amount = "1000") {
  const { app } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  await visitor.post(`${path}/deposit`, { amount });
  return { app, visitor, path, accountId: path.split("/").pop()! };
}

async function pay(
  visitor: PageClient,
  accountId: string,
  fields: Record<string, string> = {},
) {
  return await visitor.submit("/app/payments", {
    from_account_id: accountId,
    ...COUNTERPARTY,
    account_number: "62001234567",
    amount: "100",
    ...fields,
  });
}

function paymentIds(text: string): string[] {
  return [...text.matchAll(/<tr class="payment-row[^"]*" id="payment-([0-9a-f-]{36})"/g)]
    .map((match) => match[1]);
}

function balances(text: string): string[] {
  return [...text.matchAll(/class="summary__amount"[^>]*>\s*([^<]+?)\s*</g)].map((m) => m[1]);
}

bankTest("the Payments page shows the clock, the test numbers and the send form", async () => {
  const { visitor } = await customerWithMoney();
  const page = await visitor.get("/app/payments");
  assert.equal(page.status, 200);
  assert.match(page.text, /id="clock-heading">Sandbox clock</);
  assert.match(page.text, /Running at real time/);
  for (const number of ["9999000001", "9999000002", "9999000003", "9999000004", "9999000009"]) {
    assert.match(page.text, new RegExp(number));
  }
  assert.match(page.text, /returned: account closed/);
  assert.match(page.text, /stays pending until you settle or return it/);
  assert.match(page.text, /href="\/app\/payments"\s+aria-current="page"/);
  assert.match(page.text, /No payments yet/);
});

bankTest(
  "a payment sent from the page is pending, debited, and settles with Settle now",
  async () => {
    const { visitor, path, accountId } = await customerWithMoney();
    const sent = await pay(visitor, accountId, { amount: "250.50", description: "Invoice 7" });
    assert.equal(sent.status, 200);
    assert.match(sent.text, /Payment of ZAR 250\.50 sent/);
    assert.match(sent.text, /badge--pending">pending/);
    assert.match(sent.text, /Invoice 7/);
    assert.deepEqual(balances((await visitor.get(path)).text), ["ZAR 749.50", "ZAR 749.50"]);
    const [id] = paymentIds(sent.text);
    const settled = await visitor.submit(`/app/payments/${id}/settle`, {});
    assert.equal(settled.status, 200);
    assert.match(settled.text, /Payment settled/);
    assert.match(settled.text, /badge--approved">settled/);
    assert.deepEqual(balances((await visitor.get(path)).text), ["ZAR 749.50", "ZAR 749.50"]);
  },
);

bankTest(
  "returning a pending payment with a reason credits the money back and shows the reason",
  async () => {
    const { visitor, path, accountId } = await customerWithMoney();
    const sent = await pay(visitor, accountId, { account_number: "9999000009" });
    const [id] = paymentIds(sent.text);
    const returned = await visitor.submit(`/app/payments/${id}/return`, {
      reason: "authorization_revoked",
    });
    assert.equal(returned.status, 200);
    assert.match(returned.text, /Payment returned: Authorization revoked/);
    assert.match(returned.text, /badge--refused">returned/);
    assert.match(returned.text, /class="ledger-row__reason">Authorization revoked/);
    assert.deepEqual(balances((await visitor.get(path)).text), ["ZAR 1,000.00", "ZAR 1,000.00"]);
  },
);

bankTest("a return reason outside the contract's list is refused and nothing changes", async () => {
  const { visitor, accountId } = await customerWithMoney();
  const sent = await pay(visitor, accountId, { account_number: "9999000009" });
  const [id] = paymentIds(sent.text);
  for (const reason of ["", "fraud", "ACCOUNT_CLOSED"]) {
    const page = await visitor.submit(`/app/payments/${id}/return`, { reason });
    assert.equal(page.status, 400, reason);
    assert.match(page.text, /Choose a return reason from the list/);
    assert.match(page.text, /badge--pending">pending/);
  }
});

bankTest("settling a payment that is no longer pending answers 409 and says why", async () => {
  const { visitor, accountId } = await customerWithMoney();
  const sent = await pay(visitor, accountId);
  const [id] = paymentIds(sent.text);
  await visitor.submit(`/app/payments/${id}/settle`, {});
  const again = await visitor.submit(`/app/payments/${id}/settle`, {});
  assert.equal(again.postStatus, 303, "answered by its result page (Post/Redirect/Get)");
  assert.match(again.text, /Cannot settle the payment: it is settled, not pending/);
});

bankTest("a refused payment shows the API's refusal detail and its ledger entry", async () => {
  const { visitor, accountId } = await customerWithMoney("30");
  const page = await pay(visitor, accountId, { amount: "45" });
  assert.equal(page.status, 422, "a refusal is shown in place, the form kept to correct");
  assert.match(page.text, /Refused: Insufficient funds/);
  assert.match(page.text, /the available balance is ZAR 30\.00/);
  assert.match(page.text, /recorded in your ledger as\s+<span class="mono">[0-9a-f-]{36}</);
  assert.match(page.text, /badge--refused">rejected/);
  assert.match(page.text, /value="45"/, "the form keeps what was typed");
});

bankTest("a payment form with bad counterparty details names each and moves nothing", async () => {
  const { visitor, path, accountId } = await customerWithMoney();
  const cases: [Record<string, string>, RegExp][] = [
    [{ bank_code: "25-06" }, /The bank code must be 1 to 11 letters or digits/],
    [{ account_number: "12ab" }, /Their account number must be 4 to 34 digits/],
    [{ account_number: "123" }, /Their account number must be 4 to 34 digits/],
    [{ counterparty_name: "" }, /Enter the name of the person or business/],
    [{ amount: "-5" }, /The amount|Enter an amount/],
    [{ amount: "1.234" }, /The amount/],
  ];
  for (const [fields, message] of cases) {
    const page = await pay(visitor, accountId, fields);
    assert.equal(page.status, 400, JSON.stringify(fields));
    assert.match(page.text, message, JSON.stringify(fields));
  }
  assert.match((await visitor.get("/app/payments")).text, /No payments yet/);
  assert.deepEqual(balances((await visitor.get(path)).text), ["ZAR 1,000.00", "ZAR 1,000.00"]);
});

bankTest("another customer's payment is a 404 page and is not settled or returned", async () => {
  const { app, visitor } = await customerWithMoney();
  const other = await signUp(app);
  const theirs = await fundedAccount(app, other, "100");
  const payment = await sendPayment(app, other, {
    from_account_id: theirs.id,
    amount: "10",
    counterpartyNumber: "9999000009",
  });
  for (const action of ["settle", "return"]) {
    const page = await visitor.submit(`/app/payments/${payment.body.id}/${action}`, {
      reason: "no_account",
    });
    assert.equal(page.status, 404, action);
    assert.match(page.text, /Payment not found/);
  }
  assert.equal((await visitor.submit("/app/payments/nope/settle", {})).status, 404);
  const paying = await pay(visitor, theirs.id);
  assert.equal(paying.status, 404, "paying from another customer's account");
  const after = await call(app, "GET", `/payments/${payment.body.id}`, { token: other.token });
  assert.equal(after.body.status, "pending");
});

bankTest(
  "advancing the clock from the page settles what fell due and returns to the page",
  async () => {
    const { visitor, accountId } = await customerWithMoney();
    await pay(visitor, accountId);
    const advanced = await visitor.submit("/app/clock/advance", {
      amount: "2",
      unit: "days",
      back: "/app/payments",
    });
    assert.equal(advanced.postStatus, 303);
    assert.match(advanced.location!, /^\/app\/payments\?done=[0-9a-f-]{36}#page-result$/);
    assert.match(
      advanced.text,
      /Fell due: 1 payment settled, 0 payments returned, 0 holds expired/,
    );
    const page = await visitor.get("/app/payments");
    assert.match(page.text, /2 days ahead of real time/);
    assert.match(page.text, /badge--approved">settled/);
  },
);

bankTest("the clock refuses advances that are not whole positive units or too far", async () => {
  const { visitor } = await customerWithMoney();
  for (
    const fields of [
      { amount: "0", unit: "hours" },
      { amount: "-1", unit: "hours" },
      { amount: "1.5", unit: "hours" },
      { amount: "1", unit: "weeks" },
      { amount: "366", unit: "days" },
      { amount: "", unit: "seconds" },
    ]
  ) {
    const page = await visitor.submit("/app/clock/advance", { ...fields, back: "/app/payments" });
    assert.equal(page.status, 200, JSON.stringify(fields));
    assert.match(page.text, /The clock did not move/, "said on the page it came from");
  }
  assert.match((await visitor.get("/app/payments")).text, /Running at real time/);
});

bankTest("the clock form goes back only to a page of this bank", async () => {
  const { visitor } = await customerWithMoney();
  const page = await visitor.submit("/app/clock/advance", {
    amount: "1",
    unit: "seconds",
    back: "https://evil.example/",
  });
  assert.equal(page.postStatus, 303);
  assert.match(page.location!, /^\/app\?done=/);
});

bankTest("a hold lowers the available balance beside the ledger balance", async () => {
  const { visitor, path } = await customerWithMoney();
  const page = await visitor.submit(`${path}/holds`, {
    amount: "120",
    description: "Hotel",
    expires_in_seconds: "86400",
  });
  assert.equal(page.status, 200);
  assert.match(page.text, /Hold of ZAR 120\.00 placed/);
  assert.deepEqual(balances(page.text), ["ZAR 1,000.00", "ZAR 880.00"]);
  assert.match(page.text, /<dt>Available<\/dt>/);
  assert.match(page.text, /badge--pending">active/);
});

bankTest("a partial capture takes that much and releases the rest", async () => {
  const { visitor, path } = await customerWithMoney();
  const placed = await visitor.submit(`${path}/holds`, { amount: "120", description: "Hotel" });
  const id = /action="\/app\/holds\/([0-9a-f-]{36})\/capture"/.exec(placed.text)![1];
  const captured = await visitor.submit(`/app/holds/${id}/capture`, { amount: "80" });
  assert.equal(captured.status, 200);
  assert.match(captured.text, /Captured ZAR 80\.00 of the hold/);
  assert.match(captured.text, /The rest is released/);
  assert.deepEqual(balances(captured.text), ["ZAR 920.00", "ZAR 920.00"]);
  assert.match(captured.text, /badge--approved">captured/);
  assert.match(captured.text, /Card capture/);
});

bankTest("a capture above the hold is refused with the reason and takes nothing", async () => {
  const { visitor, path } = await customerWithMoney();
  const placed = await visitor.submit(`${path}/holds`, { amount: "50" });
  const id = /action="\/app\/holds\/([0-9a-f-]{36})\/capture"/.exec(placed.text)![1];
  const page = await visitor.submit(`/app/holds/${id}/capture`, { amount: "50.01" });
  assert.equal(page.status, 422, "a refusal is shown in place");
  assert.match(page.text, /Cannot capture ZAR 50\.01: the hold is for ZAR 50\.00/);
  assert.deepEqual(balances(page.text), ["ZAR 1,000.00", "ZAR 950.00"]);
  const bad = await visitor.submit(`/app/holds/${id}/capture`, { amount: "abc" });
  assert.equal(bad.status, 400);
});

bankTest("voiding a hold frees the money; voiding it again is a 409", async () => {
  const { visitor, path } = await customerWithMoney();
  const placed = await visitor.submit(`${path}/holds`, { amount: "50" });
  const id = /action="\/app\/holds\/([0-9a-f-]{36})\/void"/.exec(placed.text)![1];
  const voided = await visitor.submit(`/app/holds/${id}/void`, {});
  assert.equal(voided.status, 200);
  assert.match(voided.text, /Hold voided/);
  assert.deepEqual(balances(voided.text), ["ZAR 1,000.00", "ZAR 1,000.00"]);
  const again = await visitor.submit(`/app/holds/${id}/void`, {});
  assert.equal(again.postStatus, 303, "answered by its result page (Post/Redirect/Get)");
  assert.match(again.text, /Cannot void the hold: it is voided/);
});

bankTest("a hold beyond the available balance is refused and keeps the form's values", async () => {
  const { visitor, path } = await customerWithMoney("100");
  const page = await visitor.submit(`${path}/holds`, { amount: "100.01", description: "Car hire" });
  assert.equal(page.status, 422, "a refusal is shown in place, the form kept to correct");
  assert.match(page.text, /Refused/);
  assert.match(page.text, /available balance is ZAR 100\.00/);
  assert.match(page.text, /value="Car hire"/);
  assert.match(page.text, /No holds on this account/);
});

bankTest("another customer's hold is a 404 page and stays active", async () => {
  const { app, visitor } = await customerWithMoney();
  const other = await signUp(app);
  const theirs = await fundedAccount(app, other, "100");
  const hold = await placeHold(app, other, theirs.id, { amount: "10" });
  for (const action of ["capture", "void"]) {
    const page = await visitor.submit(`/app/holds/${hold.body.id}/${action}`, {});
    assert.equal(page.status, 404, action);
    assert.match(page.text, /Hold not found/);
  }
  const placing = await visitor.post(`/app/accounts/${theirs.id}/holds`, { amount: "1" });
  assert.equal(placing.status, 404);
  const after = await call(app, "GET", `/holds/${hold.body.id}`, { token: other.token });
  assert.equal(after.body.status, "active");
});

bankTest("the statement downloads as CSV for the chosen days with running balances", async () => {
  const { visitor, path } = await customerWithMoney("1000");
  const page = await visitor.get(path);
  const from = /id="statement-from" name="from" type="date" value="([\d-]+)"/.exec(page.text);
  const to = /id="statement-to" name="to" type="date" value="([\d-]+)"/.exec(page.text);
  assert.ok(from && to, "the form offers this month so far");
  await visitor.post(`${path}/withdraw`, { amount: "200" });
  const csv = await visitor.get(`${path}/statement.csv?from=${from[1]}&to=${to[1]}`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-type")!, /^text\/csv/);
  assert.match(csv.headers.get("content-disposition")!, /^attachment; filename="statement-\d{10}-/);
  const lines = csv.text.trim().split("\r\n");
  assert.equal(
    lines[0],
    "transaction_id,created_at,type,description,counterparty,amount,balance_after",
  );
  assert.match(lines[1], /,deposit,,,1000\.00,1000\.00$/);
  assert.match(lines[2], /,withdraw,,,-200\.00,800\.00$/);
});

bankTest(
  "a statement of another customer's account or of impossible dates is refused",
  async () => {
    const { app, visitor, path } = await customerWithMoney();
    const other = await signUp(app);
    const theirs = await fundedAccount(app, other, "5");
    const stranger = await visitor.get(`/app/accounts/${theirs.id}/statement.csv`);
    assert.equal(stranger.status, 404);
    assert.doesNotMatch(stranger.text, /transaction_id/);
    // Each is said beside its field on the account page, with the period as typed.
    const refusals = [
      ["from=2026-02-31", "statement-from", /Enter real dates/],
      ["from=2026-05-02&to=2026-05-01", "statement-from", /The From date is after the To date/],
      ["to=tomorrow", "statement-to", /Enter real dates/],
      ["from=2026-01-01&to=2026-05-01&time_zone=Mars/Base", "statement-time-zone", /IANA/],
    ] as const;
    for (const [query, field, message] of refusals) {
      const page = await visitor.get(`${path}/statement.csv?${query}`);
      assert.equal(page.status, 400, query);
      assert.match(page.headers.get("content-type")!, /^text\/html/, query);
      assert.match(
        page.text,
        /<h1>Account <span class="mono">\d{10}</,
        `${query}: the account page`,
      );
      assert.match(
        page.text,
        new RegExp(`<p class="field-error" id="${field}-error" role="alert">[^<]*`),
        query,
      );
      assert.match(/<p class="field-error"[^>]*>([^<]*)/.exec(page.text)![1], message, query);
      assert.match(page.text, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), query);
    }
    const typed = await visitor.get(`${path}/statement.csv?from=2026-05-02&to=2026-05-01`);
    assert.match(typed.text, /id="statement-from" name="from" type="date" value="2026-05-02"/);
  },
);

bankTest("payment, hold and clock forms without the CSRF token are refused", async () => {
  const { visitor, path, accountId } = await customerWithMoney();
  assert.equal((await pay(visitor, accountId, { _csrf: "" })).status, 403);
  assert.equal((await visitor.submit(`${path}/holds`, { amount: "5", _csrf: "" })).status, 403);
  const clock = await visitor.submit("/app/clock/advance", {
    amount: "1",
    unit: "days",
    _csrf: "",
  });
  assert.equal(clock.status, 403);
  const payments = await visitor.get("/app/payments");
  assert.match(payments.text, /No payments yet/);
  assert.match(payments.text, /Running at real time/);
  assert.deepEqual(balances((await visitor.get(path)).text), ["ZAR 1,000.00", "ZAR 1,000.00"]);
});

bankTest("the payment form sends an EFT and shows its rail and settles_at", async () => {
  const { visitor, accountId } = await customerWithMoney();
  const form = await visitor.get("/app/payments");
  assert.match(form.text, /<select id="rail" name="rail"/);
  assert.match(form.text, /9999000006/);
  assert.match(form.text, /settles, then returned: refund requested \(MD06\) 2 business days/);
  const sent = await pay(visitor, accountId, { rail: "eft" });
  assert.equal(sent.postStatus, 303);
  assert.match(sent.text, /It is pending \(EFT\), and settles at/);
  assert.match(sent.text, /class="ledger-row__description">EFT<\/span>/);
});

bankTest("a returned payment's row shows its ISO 20022 return code", async () => {
  const { visitor, accountId } = await customerWithMoney();
  const sent = await pay(visitor, accountId, { account_number: "9999000009" });
  const [id] = paymentIds(sent.text);
  const returned = await visitor.submit(`/app/payments/${id}/return`, {
    reason: "blocked_account",
  });
  assert.match(
    returned.text,
    /class="ledger-row__reason">Blocked account\s+<span class="mono">AC06/,
  );
});

bankTest("a settled payment's row offers Return now, and it credits the money back", async () => {
  const { visitor, path, accountId } = await customerWithMoney();
  const sent = await pay(visitor, accountId);
  const [id] = paymentIds(sent.text);
  const settled = await visitor.submit(`/app/payments/${id}/settle`, {});
  assert.match(settled.text, new RegExp(`action="/app/payments/${id}/return"`));
  const returned = await visitor.submit(`/app/payments/${id}/return`, {
    reason: "refund_requested",
  });
  assert.equal(returned.postStatus, 303);
  assert.match(returned.text, /Payment returned: Refund requested/);
  assert.deepEqual(balances((await visitor.get(path)).text), ["ZAR 1,000.00", "ZAR 1,000.00"]);
});

bankTest("Check payee answers under the form, as a fragment for htmx", async () => {
  const { app, visitor } = await customerWithMoney();
  const payee = await signUp(app, "Lindiwe Mokoena");
  const account = await call<{ account_number: string }>(app, "POST", "/accounts", {
    token: payee.token,
    body: {},
  });
  const fields = {
    counterparty_name: "Lindiwe Mokoena",
    bank_code: "SANDBOX",
    account_number: account.body.account_number,
  };
  await visitor.get("/app/payments");
  const whole = await visitor.post("/app/payments/check_payee", fields);
  assert.equal(whole.status, 200);
  assert.match(whole.text, /id="payee-check"[^>]*>The name matches the account holder&#39;s\./);
  assert.match(whole.text, new RegExp(`value="${account.body.account_number}"`), "kept as typed");
  const close = await visitor.post(
    "/app/payments/check_payee",
    { ...fields, counterparty_name: "Lindiwe Mokoene" },
    { "HX-Request": "true" },
  );
  assert.match(close.text, /^<p class="hint hint--neutral" id="payee-check"/);
  assert.match(
    close.text,
    /Close match: the account holder is\s+<strong>Lindiwe Mokoena<\/strong>/,
  );
  const elsewhere = await visitor.post(
    "/app/payments/check_payee",
    { ...fields, bank_code: "250655" },
    { "HX-Request": "true" },
  );
  assert.match(elsewhere.text, /The other bank cannot confirm the name/);
});

bankTest("the payments list pages 25 at a time with Older and Newer links", async () => {
  const { visitor, accountId } = await customerWithMoney();
  // Five payments per account stay inside the fraud rules' velocity limit (six a minute).
  const accounts = [accountId];
  for (let i = 0; i < 5; i++) {
    const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
    const path = opened.headers.get("location")!;
    await visitor.get(path);
    await visitor.post(`${path}/deposit`, { amount: "1000" });
    accounts.push(path.split("/").pop()!);
  }
  for (let i = 0; i < 27; i++) {
    const sent = await pay(visitor, accounts[Math.floor(i / 5)], { amount: String(i + 1) });
    assert.equal(sent.postStatus, 303);
  }
  const newest = await visitor.get("/app/payments");
  const first = paymentIds(newest.text);
  assert.equal(first.length, 25);
  assert.doesNotMatch(newest.text, /Newer<\/a>/);
  const older = /<a [^>]*rel="next" href="([^"]+)"[^>]*>Older/.exec(newest.text);
  assert.ok(older, "an Older link");
  const second = await visitor.get(older[1].replaceAll("&amp;", "&"));
  const rest = paymentIds(second.text);
  assert.equal(rest.length, 2);
  assert.equal(new Set([...first, ...rest]).size, 27);
  assert.doesNotMatch(second.text, /Older →<\/a>/);
  // The live poll of the second page renders the second page again, not the newest one.
  const live = await visitor.get(livePoll(second.text, "payments-live"));
  assert.equal(live.status, 200);
  assert.deepEqual(paymentIds(live.text), rest);
  const newer = /<a [^>]*rel="prev" href="([^"]+)"[^>]*>← Newer/.exec(second.text);
  assert.ok(newer, "a Newer link");
  const back = await visitor.get(newer[1].replaceAll("&amp;", "&"));
  assert.deepEqual(paymentIds(back.text), first);
  assert.doesNotMatch(back.text, /Newer<\/a>/);
  assert.equal((await visitor.get("/app/payments?older=not-a-cursor")).status, 404);
});

bankTest("an account's holds page 20 at a time, apart from its ledger", async () => {
  const { visitor, path } = await customerWithMoney();
  for (let i = 1; i <= 22; i++) {
    const placed = await visitor.submit(`${path}/holds`, {
      amount: "1",
      description: `Hold number ${i}.`,
    });
    assert.equal(placed.postStatus, 303);
  }
  const holdsOf = (text: string) => [...text.matchAll(/Hold number (\d+)\./g)].map((m) => m[1]);
  const newest = await visitor.get(path);
  assert.equal(holdsOf(newest.text).length, 20);
  assert.equal(holdsOf(newest.text)[0], "22");
  const older = /<a [^>]*rel="next" href="([^"]*holds_older=[^"]+)"[^>]*>Older/.exec(newest.text);
  assert.ok(older, "an Older link for the holds");
  const second = await visitor.get(older[1].replaceAll("&amp;", "&"));
  assert.deepEqual(holdsOf(second.text), ["2", "1"]);
  const live = await visitor.get(livePoll(second.text, "holds-live"));
  assert.equal(live.status, 200);
  assert.deepEqual(holdsOf(live.text), ["2", "1"]);
  const newer = /<a [^>]*rel="prev" href="([^"]*holds_newer=[^"]+)"[^>]*>← Newer/.exec(second.text);
  assert.ok(newer, "a Newer link for the holds");
  const back = await visitor.get(newer[1].replaceAll("&amp;", "&"));
  assert.deepEqual(holdsOf(back.text), holdsOf(newest.text));
});

// A live region's poll URL as the page renders it, without its version, so it answers the region.
function livePoll(page: string, id: string): string {
  const found = new RegExp(`<div id="${id}"[^>]*hx-get="([^"]+)"`).exec(page);
  assert.ok(found, `the live region ${id}`);
  const url = new URL(found[1].replaceAll("&amp;", "&"), "http://page");
  assert.ok(
    [...url.searchParams.keys()].some((key) => key.endsWith("older")),
    "the window goes along",
  );
  url.searchParams.delete("v");
  return `${url.pathname}${url.search}`;
}
