/** The bank's errors: each has a stable `code` that routes map to an HTTP status. */

/** An error the bank expects and explains to the client; `code` is part of the public contract. */
export class BankError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = "BankError";
  }
}

/** Input that is well-formed JSON but not acceptable (400), with the offending field. */
export class InvalidInputError extends BankError {
  constructor(readonly field: string, readonly problem: string) {
    super("validation_error", `${field} ${problem}`);
    this.name = "InvalidInputError";
  }
}

/** Something that does not exist for this user (404): another user's object looks the same. */
export class NotFoundError extends BankError {
  constructor(what: string) {
    super("not_found", `${what} not found`);
    this.name = "NotFoundError";
  }
}

/** A state conflict (409), such as an email already registered. */
export class ConflictError extends BankError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = "ConflictError";
  }
}

/** A money movement the bank refused and recorded in the ledger (422). */
export class RefusedError extends BankError {
  constructor(
    code: string,
    message: string,
    readonly transactionId: string | undefined,
    readonly reason: string,
  ) {
    super(code, message);
    this.name = "RefusedError";
  }
}

/** Missing or invalid credentials (401). */
export class UnauthorizedError extends BankError {
  constructor(message = "A valid bearer token is required") {
    super("unauthorized", message);
    this.name = "UnauthorizedError";
  }
}

/** Too many attempts (429); `retryAfterSeconds` goes into Retry-After. */
export class RateLimitedError extends BankError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super("rate_limited", message);
    this.name = "RateLimitedError";
  }
}

/** The database is away or too contended to finish in time (503); the client may retry. */
export class UnavailableError extends BankError {
  constructor(message = "The bank is temporarily unavailable; retry shortly") {
    super("service_unavailable", message);
    this.name = "UnavailableError";
  }
}

/**
 * A credential that may not do this (403): an API key whose scopes do not cover the request
 * (`scope` is what it needed), or a key where only an access token will do (no `scope`).
 */
export class InsufficientScopeError extends BankError {
  constructor(readonly scope: string | undefined, message: string) {
    super("insufficient_scope", message);
    this.name = "InsufficientScopeError";
  }
}
