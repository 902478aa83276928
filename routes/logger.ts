/** JSON-lines logging. Fields are chosen by the caller; never a secret, SQL text or stack trace. */

/** Log levels in increasing severity. */
export type LogLevel = "debug" | "info" | "warn" | "error";
const SEVERITY: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes one structured line per event. */
export type Logger = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

/** A logger that drops events below `minimum` and writes the rest as JSON to stderr/stdout. */
export function createLogger(minimum: LogLevel): Logger {
  return function log(level, event, fields = {}) {
    if (SEVERITY[level] < SEVERITY[minimum]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...fields });
    if (SEVERITY[level] >= SEVERITY.warn) console.error(line);
    else console.log(line);
  };
}

/** A logger that keeps lines in memory, for tests to inspect. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = ((level, event, fields = {}) => {
    lines.push(JSON.stringify({ level, event, ...fields }));
  }) as Logger & { lines: string[] };
  log.lines = lines;
  return log;
}
