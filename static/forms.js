// The dashboard's own behaviour, served from this origin (no CDN, no inline script): plain forms
// guarded while in flight, destructive actions confirmed, ids copied, focus moved to a result,
// and what was typed kept across a session expiry. Every page works without it; it only adds.
(function () {
  "use strict";
  const KEPT = "bank:kept-form";
  const RESTORE = "bank:restore-form";
  const SKIPPED = new Set(["hidden", "password", "submit", "button", "file", "reset"]);

  function typedFields(form) {
    const fields = {};
    for (const element of form.elements) {
      if (!element.name || SKIPPED.has(element.type)) continue;
      if (element.type === "checkbox" || element.type === "radio") {
        if (element.checked) fields[`${element.name}=${element.value}`] = true;
        continue;
      }
      fields[element.name] = element.value;
    }
    return fields;
  }

  // Kept for this tab only, and only until the next post: restored after a session expiry.
  function keep(form) {
    const action = form.getAttribute("action") || form.getAttribute("hx-post") || "";
    if (action === "/app/sign-out") {
      sessionStorage.removeItem(KEPT);
      return;
    }
    // Signing in (again) must not replace the input kept from before the expiry.
    if (action === "/app/sign-in" || action === "/app/register") return;
    const page = location.pathname + location.search;
    sessionStorage.setItem(KEPT, JSON.stringify({ page, action, fields: typedFields(form) }));
  }

  function setBusy(form, busy) {
    form.toggleAttribute("aria-busy", busy);
    if (busy) form.dataset.submitting = "true";
    else delete form.dataset.submitting;
    for (const button of form.querySelectorAll("button, input[type=submit]")) {
      button.disabled = busy;
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method !== "post") return;
    if (form.dataset.submitting === "true") {
      event.preventDefault();
      return;
    }
    const question = form.dataset.confirm;
    if (question && !globalThis.confirm(question)) {
      event.preventDefault();
      return;
    }
    keep(form);
    // htmx forms are guarded by hx-disabled-elt; a plain form until its page is replaced.
    if (form.hasAttribute("hx-post")) return;
    form.dataset.submitting = "true";
    // Disabled after this event: the clicked button's name and value are already in the post.
    setTimeout(() => setBusy(form, true), 0);
  });

  // A page restored by Back (the back/forward cache) gets its forms working again.
  globalThis.addEventListener("pageshow", function () {
    for (const form of document.querySelectorAll("form[data-submitting]")) setBusy(form, false);
  });

  async function copy(button) {
    const value = button.dataset.copy;
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      const field = document.createElement("textarea");
      field.value = value;
      field.setAttribute("readonly", "");
      field.className = "visually-hidden";
      document.body.append(field);
      field.select();
      document.execCommand("copy");
      field.remove();
    }
    const text = button.textContent;
    button.textContent = "Copied";
    announce("Copied to the clipboard");
    setTimeout(() => (button.textContent = text), 1500);
  }

  function announce(message) {
    let region = document.getElementById("announcer");
    if (!region) {
      region = document.createElement("p");
      region.id = "announcer";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      document.body.append(region);
    }
    region.textContent = message;
  }

  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element && event.target.closest("[data-copy]");
    if (button) copy(button);
  });

  // A live region (views/live.ts) replaced while a control in it had focus: the same control in
  // the new region (by its accessible name) takes focus back, so keyboard users keep their place.
  let liveFocus = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    const target = event.detail && event.detail.target;
    const active = document.activeElement;
    liveFocus = target && target.classList.contains("live-region") && active &&
        target.contains(active) && active.getAttribute("aria-label")
      ? { id: target.id, label: active.getAttribute("aria-label") }
      : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!liveFocus) return;
    const region = document.getElementById(liveFocus.id);
    const again = region && Array.from(region.querySelectorAll("[aria-label]"))
      .find((element) => element.getAttribute("aria-label") === liveFocus.label);
    liveFocus = null;
    if (again) again.focus({ preventScroll: true });
  });

  // After an htmx swap, focus goes to the result it brought (a notice), not to <body>.
  document.addEventListener("htmx:afterSettle", function (event) {
    const target = event.detail && event.detail.target;
    // An outerHTML swap replaced the target: its successor has the same id.
    const live = target && target.id ? document.getElementById(target.id) : target;
    const notice = live && live.querySelector(".notice");
    if (!notice) return;
    notice.setAttribute("tabindex", "-1");
    notice.focus({ preventScroll: false });
  });

  function restoreKept() {
    const flagged = sessionStorage.getItem(RESTORE);
    // Only the first page after signing in again may take the kept input back.
    sessionStorage.removeItem(RESTORE);
    const kept = JSON.parse(sessionStorage.getItem(KEPT) || "null");
    if (!flagged || !kept || kept.page !== location.pathname + location.search) return;
    const form = [...document.forms].find((candidate) =>
      (candidate.getAttribute("action") || candidate.getAttribute("hx-post")) === kept.action
    );
    if (!form) return;
    for (const [name, value] of Object.entries(kept.fields)) {
      if (value === true) {
        const [field, option] = name.split("=");
        const box = [...form.elements].find((e) => e.name === field && e.value === option);
        if (box) box.checked = true;
      } else if (form.elements[name] && "value" in form.elements[name]) {
        form.elements[name].value = value;
      }
    }
    const note = document.createElement("p");
    note.className = "notice notice--info";
    note.setAttribute("role", "status");
    note.setAttribute("tabindex", "-1");
    note.textContent = "Your session had expired: what you typed is back in the form. " +
      "Check it and send it again.";
    form.prepend(note);
    note.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    const params = new URLSearchParams(location.search);
    if (location.pathname === "/app/sign-in" && params.has("expired")) {
      sessionStorage.setItem(RESTORE, "1");
      return;
    }
    restoreKept();
    const result = document.querySelector("[data-focus-on-load]");
    if (result && !document.querySelector("[autofocus]")) result.focus();
  });
})();
