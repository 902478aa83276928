/**
 * Post/Redirect/Get (routes/pages/prg.ts): each page form's post acts once per rendered form and
 * answers 303 to its result; a reload, Back or double submit of that form repeats nothing.
 */
import assert from "node:assert/strict";
import { bankTest, testApp } from "../../support/app.ts";
import { type Page, PageClient } from "../../support/pages.ts";
import { runWorkerUntil } from "../../support/webhooks.ts";

/** The idempotency key of the first form posting to `action` in a rendered page. */
function formKey(page: Page, action: string): string {
  const start = page.text.indexOf(`action="${action}"`);
  assert.ok(start !== -1, `the page has a form posting to ${action}`);
  const key = /name="idempotency_key" value="([^"]+)"/.exec(page.text.slice(start));
  assert.ok(key, `the form posting to ${action} carries an idempotency key`);
  return key[1];
}

async function customer(amount = "1000") {
  const { app, sql } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  const opened = await visitor.post("/app/accounts", { currency: "ZAR" });
  const path = opened.headers.get("location")!;
  await visitor.get(path);
  await visitor.post(`${path}/deposit`, { amount });
  return { app, sql, visitor, path, accountId: path.split("/").pop()! };
}

bankTest(
  "a sent payment redirects to its result; posting that form again sends nothing",
  async () => {
    const { sql, visitor, accountId } = await customer();
    const form = await visitor.get("/app/payments");
    const fields = {
      from_account_id: accountId,
      counterparty_name: "Acme Supplies",
      bank_code: "250655",
      account_number: "62001234567",
      amount: "7",
      idempotency_key: formKey(form, "/app/payments"),
    };
    const first = await visitor.post("/app/payments", fields);
    assert.equal(first.status, 303);
    const location = first.headers.get("location")!;
    assert.match(location, /^\/app\/payments\?done=[0-9a-f-]{36}#page-result$/);
    const result = await visitor.get(location.split("#")[0]);
    assert.match(result.text, /id="page-result"[^>]*data-focus-on-load/);
    assert.match(result.text, /Payment of ZAR 7\.00 sent/);
    // A reload of the result page is a GET: it shows the result again and moves nothing.
    assert.match((await visitor.get(location.split("#")[0])).text, /Payment of ZAR 7\.00 sent/);
    // The browser resubmitting the form (Back, then resubmit; a double click) is sent there too.
    for (let i = 0; i < 2; i++) {
      const again = await visitor.post("/app/payments", fields);
      assert.equal(again.status, 303);
      assert.equal(again.headers.get("location"), location);
    }
    const rows = await sql`SELECT id FROM payments WHERE account_id = ${accountId}`;
    assert.equal(rows.length, 1);
    const ledger = await sql`
    SELECT id FROM transactions WHERE from_account_id = ${accountId} AND type = 'payment_out'`;
    assert.equal(ledger.length, 1);
  },
);

bankTest("two posts of one form at once run it once", async () => {
  const { sql, visitor, path, accountId } = await customer();
  const page = await visitor.get(path);
  const fields = {
    amount: "10",
    description: "Deposit for hotel",
    idempotency_key: formKey(page, `${path}/holds`),
  };
  const [a, b] = await Promise.all([
    visitor.post(`${path}/holds`, fields),
    visitor.post(`${path}/holds`, fields),
  ]);
  assert.equal(a.status, 303);
  assert.equal(b.status, 303);
  assert.equal(a.headers.get("location"), b.headers.get("location"));
  const holds = await sql`SELECT id FROM holds WHERE account_id = ${accountId}`;
  assert.equal(holds.length, 1);
});

bankTest("a test event form posted twice queues one delivery", async () => {
  const { sql, visitor } = await customer();
  const developers = await visitor.get("/app/developers");
  const added = await visitor.submit("/app/developers/endpoints", {
    url: "http://localhost:8799/hooks",
    idempotency_key: formKey(developers, "/app/developers/endpoints"),
  });
  const id = /action="\/app\/developers\/endpoints\/([0-9a-f-]{36})\/test"/.exec(added.text)![1];
  const [{ count: before }] = await sql<{ count: number }[]>`
    SELECT count(*)::int AS count FROM webhook_deliveries WHERE endpoint_id = ${id}`;
  const fields = { idempotency_key: formKey(added, `/app/developers/endpoints/${id}/test`) };
  const first = await visitor.post(`/app/developers/endpoints/${id}/test`, fields);
  const again = await visitor.post(`/app/developers/endpoints/${id}/test`, fields);
  assert.equal(again.headers.get("location"), first.headers.get("location"));
  const [{ count }] = await sql<{ count: number }[]>`
    SELECT count(*)::int AS count FROM webhook_deliveries WHERE endpoint_id = ${id}`;
  assert.equal(count, before + 1);
});

bankTest("a new API key is shown once: a reload of its result page does not show it", async () => {
  const { visitor } = await customer();
  const page = await visitor.get("/app/developers");
  const created = await visitor.submit("/app/developers/api-keys", {
    name: "Billing",
    idempotency_key: formKey(page, "/app/developers/api-keys"),
  });
  const key = /value="(sk_test_[^"]+)"/.exec(created.text)![1];
  const reloaded = await visitor.get(created.location!.split("#")[0]);
  assert.match(reloaded.text, /API key &quot;Billing&quot; created/);
  assert.equal(reloaded.text.includes(key), false);
  assert.match(reloaded.text, /shown once, when it was made/);
});

bankTest("a form's result is its owner's only", async () => {
  const { app, visitor } = await customer();
  const page = await visitor.get("/app/payments");
  const sent = await visitor.submit("/app/payments", {
    from_account_id: page.text.match(/<option value="([0-9a-f-]{36})"/)![1],
    counterparty_name: "Acme",
    bank_code: "250655",
    account_number: "62001234567",
    amount: "1",
  });
  const other = new PageClient(app);
  await other.register();
  const seen = await other.get(sent.location!.split("#")[0]);
  assert.equal(seen.status, 200);
  assert.doesNotMatch(seen.text, /Payment of ZAR 1\.00 sent/);
});

bankTest("page amounts take digit groups: 1,000.00 is a thousand", async () => {
  const { sql, visitor, path, accountId } = await customer("5,000.00");
  const [account] = await sql<{ balance: bigint }[]>`
    SELECT balance FROM accounts WHERE id = ${accountId}`;
  assert.equal(account.balance, 500_000n);
  const held = await visitor.submit(`${path}/holds`, { amount: "1,000.00" });
  assert.match(held.text, /Hold of ZAR 1,000\.00 placed/);
  const bad = await visitor.submit(`${path}/holds`, { amount: "1,00.00" });
  assert.equal(bad.status, 400, "a comma that is not a digit group is refused");
});

bankTest("the toolbar advances the clock and says what fell due", async () => {
  const { visitor, path } = await customer();
  const page = await visitor.get(path);
  await visitor.submit(`${path}/holds`, { amount: "5", expires_in_seconds: "3600" });
  const advanced = await visitor.submit("/app/clock/advance", {
    preset: "86400",
    back: path,
    idempotency_key: formKey(page, "/app/clock/advance"),
  });
  assert.match(advanced.location!, new RegExp(`^${path}\\?done=`));
  assert.match(advanced.text, /Clock advanced to/);
  assert.match(advanced.text, /1 hold expired/);
  assert.match(advanced.text, /1 day ahead of real time/);
});

bankTest("the toolbar simulates an incoming payment into the chosen account", async () => {
  const { sql, visitor, accountId } = await customer();
  const [{ accountNumber }] = await sql<{ accountNumber: string }[]>`
    SELECT account_number FROM accounts WHERE id = ${accountId}`;
  const page = await visitor.get("/app");
  assert.match(page.text, /Simulate an incoming payment/);
  const fields = {
    account_number: accountNumber,
    amount: "2,500.00",
    counterparty_name: "Employer Ltd",
    back: "/app",
    idempotency_key: formKey(page, "/app/simulate/inbound-payment"),
  };
  const sent = await visitor.submit("/app/simulate/inbound-payment", fields);
  assert.match(sent.text, /Incoming payment of ZAR 2,500\.00 announced/);
  await visitor.post("/app/simulate/inbound-payment", fields);
  const inbound = await sql`
    SELECT id FROM payments WHERE account_id = ${accountId} AND direction = 'inbound'`;
  assert.equal(inbound.length, 1);
});

bankTest("every signed-in page has the banner, the toolbar and links to the API docs", async () => {
  const { visitor, path } = await customer();
  for (const page of ["/app", "/app/accounts", path, "/app/transfers", "/app/transactions"]) {
    const text = (await visitor.get(page)).text;
    assert.match(text, /Sandbox — test mode/, page);
    assert.match(text, /<aside class="toolbar" aria-label="Simulations">/, page);
    assert.match(text, /href="\/docs"/, page);
    assert.match(text, /href="\/openapi\.json"/, page);
    assert.match(text, /data-copy="[0-9a-f-]{36}" aria-label="Copy clock id/, page);
    assert.match(text, /<script src="\/static\/forms\.js" defer><\/script>/, page);
  }
});

bankTest("detail pages show an object's id and the JSON the API returns for it", async () => {
  const { app, sql, visitor, path, accountId } = await customer();
  const sent = await visitor.submit("/app/payments", {
    from_account_id: accountId,
    counterparty_name: "Acme",
    bank_code: "250655",
    account_number: "62001234567",
    amount: "3",
  });
  const paymentId = /href="\/app\/payments\/([0-9a-f-]{36})"/.exec(sent.text)![1];
  const payment = await visitor.get(`/app/payments/${paymentId}`);
  assert.equal(payment.status, 200);
  assert.match(payment.text, new RegExp(`GET /payments/${paymentId}`));
  assert.match(payment.text, /&quot;status&quot;: &quot;pending&quot;/);
  assert.match(payment.text, new RegExp(`data-copy="${paymentId}"`));
  const account = await visitor.get(path);
  const entryId = /href="\/app\/transactions\/([0-9a-f-]{36})"/.exec(account.text)![1];
  assert.match((await visitor.get(`/app/transactions/${entryId}`)).text, /GET \/transactions\//);
  const [event] = await sql<{ id: string }[]>`
    SELECT e.id FROM events e JOIN accounts a ON a.user_id = e.user_id
    WHERE a.id = ${accountId} ORDER BY e.seq LIMIT 1`;
  const shown = await visitor.get(`/app/events/${event.id}`);
  assert.match(shown.text, /As the API returns it/);
  const other = new PageClient(app);
  await other.register();
  assert.equal((await other.get(`/app/payments/${paymentId}`)).status, 404);
  assert.equal((await other.get(`/app/events/${event.id}`)).status, 404);
});

bankTest(
  "a delivery's page shows the request sent and the response's headers and body",
  async () => {
    const { app, sql, config, visitor } = await customerWithConfig();
    const receiver = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () =>
        new Response(JSON.stringify({ received: true, padding: "x".repeat(5_000) }), {
          status: 202,
          headers: { "x-receiver": "test-hook", "content-type": "application/json" },
        }),
    );
    try {
      const url = `http://127.0.0.1:${receiver.addr.port}/hooks`;
      const added = await visitor.submit("/app/developers/endpoints", { url });
      const id =
        /action="\/app\/developers\/endpoints\/([0-9a-f-]{36})\/test"/.exec(added.text)![1];
      await visitor.submit(`/app/developers/endpoints/${id}/test`, {});
      await runWorkerUntil({ sql, config }, async () => {
        const [row] = await sql`SELECT status FROM webhook_deliveries WHERE endpoint_id = ${id}`;
        return row?.status === "succeeded";
      });
      const developers = await visitor.get("/app/developers");
      const deliveryId = /href="\/app\/deliveries\/([0-9a-f-]{36})"/.exec(developers.text)![1];
      const page = await visitor.get(`/app/deliveries/${deliveryId}`);
      assert.equal(page.status, 200);
      assert.match(page.text, /Attempt 1: HTTP 202, \d+ ms/);
      assert.match(page.text, /&quot;webhook-signature&quot;: &quot;v1,/);
      assert.match(page.text, /Request body/);
      assert.match(page.text, /&quot;x-receiver&quot;: &quot;test-hook&quot;/);
      assert.match(page.text, /&quot;received&quot;:true/, "the body excerpt, cut at 2 KiB");
      assert.match(page.text, /None: it is finished/);
      const other = new PageClient(app);
      await other.register();
      assert.equal((await other.get(`/app/deliveries/${deliveryId}`)).status, 404);
    } finally {
      await receiver.shutdown();
    }
  },
);

async function customerWithConfig() {
  const { app, sql, config } = await testApp();
  const visitor = new PageClient(app);
  await visitor.register();
  await visitor.post("/app/accounts", { currency: "ZAR" });
  await visitor.get("/app/developers");
  return { app, sql, config, visitor };
}

bankTest("a payment form's mistakes are shown beside the fields that caused them", async () => {
  const { visitor, accountId } = await customer();
  const page = await visitor.submit("/app/payments", {
    from_account_id: accountId,
    counterparty_name: "",
    bank_code: "250655",
    account_number: "12",
    amount: "7",
  });
  assert.equal(page.status, 400);
  for (const field of ["counterparty_name", "account_number"]) {
    assert.match(page.text, new RegExp(`id="${field}"[^>]*aria-invalid="true"`), field);
    assert.match(page.text, new RegExp(`<p class="field-error" id="${field}-error" role="alert">`));
  }
  assert.match(page.text, /aria-describedby="account_number-hint account_number-error"/);
  assert.doesNotMatch(page.text, /id="amount"[^>]*aria-invalid/);
});

bankTest("a hold amount that is not one is said beside the amount field", async () => {
  const { visitor, path } = await customer();
  const page = await visitor.submit(`${path}/holds`, { amount: "ten", description: "Hotel" });
  assert.equal(page.status, 400);
  assert.match(
    page.text,
    /id="hold-amount"[^>]*aria-invalid="true"[^>]*aria-describedby="hold-amount-error"/,
  );
  assert.match(
    page.text,
    /id="hold-amount-error" role="alert">The amount must be a positive decimal/,
  );
  assert.match(page.text, /value="Hotel"/);
});
