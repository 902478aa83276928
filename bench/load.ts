/** Load: autocannon driving the server, and the transfer and read requests it sends. */
import autocannon from "autocannon";
import type { Customer } from "./customers.ts";
import type { Measured } from "./results.ts";
import { cpuMs, type Server, serverStats } from "./server.ts";

/** An autocannon request with a dynamic body (setupRequest) and an answer hook (onResponse). */
export interface LoadRequest {
  method: "GET" | "POST";
  path?: string;
  setupRequest: (request: Record<string, unknown>, context: Record<string, unknown>) =>
    | Record<string, unknown>
    | null;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

type Pick = () => { token: string; from: string; to: string };

/** A random customer's random account to any other account. */
export function uniformPick(customers: Customer[]): Pick {
  const all = customers.flatMap((c) => c.accountIds);
  return () => {
    const customer = customers[Math.floor(Math.random() * customers.length)];
    const from = customer.accountIds[Math.floor(Math.random() * customer.accountIds.length)];
    let to = from;
    while (to === from) to = all[Math.floor(Math.random() * all.length)];
    return { token: customer.token, from, to };
  };
}

/** Always the first customer's first account, to any other customer's account. */
export function hotPick(customers: Customer[]): Pick {
  const hot = customers[0];
  const others = customers.slice(1).flatMap((c) => c.accountIds);
  return () => ({
    token: hot.token,
    from: hot.accountIds[0],
    to: others[Math.floor(Math.random() * others.length)],
  });
}

/** POST /transactions/transfer of 0.01 ZAR between the accounts `pick` gives. */
export function transferRequest(pick: Pick): LoadRequest {
  return {
    method: "POST",
    path: "/transactions/transfer",
    setupRequest: (request) => {
      const { token, from, to } = pick();
      return {
        ...request,
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ from_account_id: from, to_account_id: to, amount: "0.01" }),
      };
    },
  };
}

/** A random customer's account, and a page of its ledger. */
export function readRequests(customers: Customer[]): LoadRequest[] {
  const read = (path: (id: string) => string): LoadRequest => ({
    method: "GET",
    setupRequest: (request) => {
      const customer = customers[Math.floor(Math.random() * customers.length)];
      const id = customer.accountIds[Math.floor(Math.random() * customer.accountIds.length)];
      return { ...request, path: path(id), headers: { authorization: `Bearer ${customer.token}` } };
    },
  });
  return [
    read((id) => `/accounts/${id}`),
    read((id) => `/transactions?account_id=${id}&limit=20`),
  ];
}

interface Load {
  scenario: string;
  connections: number;
  requests: LoadRequest[];
  seconds: number;
}

/** Runs one load against the server; the server's counters and CPU are read around it. */
export async function drive(server: Server, load: Load): Promise<Measured> {
  const before = await serverStats(server);
  const cpuBefore = cpuMs(server.pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections: load.connections,
    duration: load.seconds,
    requests: load.requests,
    timeout: 30,
  } as autocannon.Options);
  const after = await serverStats(server);
  const groups = after.groupsCommitted - before.groupsCommitted;
  const grouped = after.transfersCommittedInGroups - before.transfersCommittedInGroups;
  const codes = (result as unknown as { statusCodeStats?: Record<string, { count: number }> })
    .statusCodeStats ?? {};
  const count = (test: (code: string) => boolean) =>
    Object.entries(codes).filter(([code]) => test(code)).reduce((sum, [, s]) => sum + s.count, 0);
  const approved = count((code) => code.startsWith("2"));
  const measured: Measured = {
    scenario: load.scenario,
    connections: load.connections,
    seconds: Math.round(result.duration * 100) / 100,
    perSecond: Math.round(result.requests.total / result.duration),
    approvedPerSecond: Math.round(approved / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    approved,
    refused: count((code) => code === "422"),
    non2xx: result.non2xx,
    serverErrors: count((code) => code.startsWith("5")) + result.errors + result.timeouts,
    serializationRetries: after.serializationRetries - before.serializationRetries,
    transfersPerGroup: groups === 0 ? 0 : Math.round((grouped / groups) * 10) / 10,
    serverCpuMsPerRequest: Math.round(
      ((cpuMs(server.pid) - cpuBefore) / Math.max(1, result.requests.total)) * 100,
    ) / 100,
  };
  logMeasured(measured);
  return measured;
}

/** One line per load, as the run goes. */
export function logMeasured(m: Measured) {
  console.log(
    `${m.scenario.padEnd(9)} c=${String(m.connections).padStart(3)}  ${
      String(m.perSecond).padStart(5)
    }/s  approved ${
      String(m.approvedPerSecond).padStart(5)
    }/s  p50 ${m.p50Ms} ms  p99 ${m.p99Ms} ms  non2xx ${m.non2xx}  5xx/errors ${m.serverErrors}  retries ${m.serializationRetries}  per group ${m.transfersPerGroup}  server CPU ${m.serverCpuMsPerRequest} ms/req`,
  );
}
