/** The sign-in and register pages. */
import { html } from "hono/html";
import { csrfField, describedBy, fieldError, type Html, layout } from "./layout.ts";

/** The sign-in form's state. */
export interface SignInData {
  csrfToken: string;
  email?: string;
  /** Why the form is shown again, e.g. a wrong password. */
  error?: string;
  /** A notice above the form, e.g. after signing out. */
  notice?: string;
  /** Where to go after signing in (a path under /app). */
  next?: string;
  /** The demo customer's credentials, shown when this sandbox has one. */
  demo?: { email: string; password: string };
}

/** The sign-in page. */
export function signInPage(data: SignInData): Html {
  const body = html`<div class="auth-card">
  <h1>Sign in</h1>
  ${data.notice ? html`<p class="notice notice--info" role="status">${data.notice}</p>` : ""}
  ${data.error ? html`<p class="notice notice--error" role="alert">${data.error}</p>` : ""}
  <form method="post" action="/app/sign-in" class="form" novalidate>
    ${csrfField(data.csrfToken)}
    ${data.next ? html`<input type="hidden" name="next" value="${data.next}">` : ""}
    <div class="field">
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required maxlength="320"
        value="${data.email ?? ""}"${
    data.error
      ? html`
        aria-invalid="true"
      `
      : ""
  }>
    </div>
    <div class="field">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
    </div>
    <button type="submit" class="button">Sign in</button>
  </form>
  <p>New here? <a href="/app/register">Open a sandbox profile</a>.</p>
  ${
    data.demo
      ? html`<p class="hint">Demo customer: <span class="mono">${data.demo.email}</span>, password
    <span class="mono">${data.demo.password}</span>.</p>`
      : ""
  }
</div>`;
  return layout({ title: "Sign in", csrfToken: data.csrfToken }, body);
}

/** The register form's state. */
export interface RegisterData {
  csrfToken: string;
  values?: { name?: string; email?: string };
  /** Messages by field name (name, email, password), or `form` for the whole form. */
  errors?: Record<string, string>;
}

/** The register page. */
export function registerPage(data: RegisterData): Html {
  const errors = data.errors ?? {};
  const values = data.values ?? {};
  const body = html`<div class="auth-card">
  <h1>Create your sandbox profile</h1>
  ${errors.form ? html`<p class="notice notice--error" role="alert">${errors.form}</p>` : ""}
  <form method="post" action="/app/register" class="form" novalidate>
    ${csrfField(data.csrfToken)}
    <div class="field">
      <label for="name">Full name</label>
      <input id="name" name="name" type="text" autocomplete="name" required maxlength="200"
        value="${values.name ?? ""}"${describedBy("name", errors.name)}>
      ${fieldError("name", errors.name)}
    </div>
    <div class="field">
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="email" required maxlength="320"
        value="${values.email ?? ""}"${describedBy("email", errors.email)}>
      ${fieldError("email", errors.email)}
    </div>
    <div class="field">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="new-password" required
        minlength="8" maxlength="1024"${describedBy("password", errors.password, true)}>
      <p class="hint" id="password-hint">At least 8 characters.</p>
      ${fieldError("password", errors.password)}
    </div>
    <button type="submit" class="button">Create profile</button>
  </form>
  <p>Already have one? <a href="/app/sign-in">Sign in</a>.</p>
</div>`;
  return layout({ title: "Register", csrfToken: data.csrfToken }, body);
}
