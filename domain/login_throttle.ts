/** Login throttling policy: how many failed logins a window allows, per email and per client. */

/** The window failed logins are counted in. */
export const LOGIN_WINDOW_SECONDS = 15 * 60;
/** Failed logins for one email (any client) before it is refused until the window ends. */
export const LOGIN_FAILURES_PER_EMAIL_MAX = 5;
/** Failed logins from one client address (any email) before it is refused. */
export const LOGIN_FAILURES_PER_CLIENT_MAX = 30;

/** A throttled subject: an email, or a client address. */
export interface LoginSubject {
  scope: "email" | "client";
  subject: string;
}

/** The subjects a login attempt counts against; a client address only when it is known. */
export function loginSubjects(email: string, clientAddress: string | undefined): LoginSubject[] {
  const subjects: LoginSubject[] = [{ scope: "email", subject: email.trim().toLowerCase() }];
  if (clientAddress) subjects.push({ scope: "client", subject: clientAddress });
  return subjects;
}

/** The failures allowed for a subject's scope. */
export function failuresMax(scope: LoginSubject["scope"]): number {
  return scope === "email" ? LOGIN_FAILURES_PER_EMAIL_MAX : LOGIN_FAILURES_PER_CLIENT_MAX;
}
