-- Post/Redirect/Get for the dashboard's forms (routes/pages/prg.ts). A form post claims its
-- rendered form's key here before it acts, and stores what to show after the redirect; the page it
-- redirects to (?done=<key>) reads it. A second post of the same rendered form (reload, Back,
-- double click) finds the claim and is redirected to the first one's result: nothing runs twice.
-- `secret` holds a key or signing secret shown once: the first read clears it.
CREATE TABLE page_results (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  form_key text NOT NULL CHECK (length(form_key) BETWEEN 1 AND 255),
  state text NOT NULL CHECK (state IN ('in_flight', 'done')),
  location text CHECK (location IS NULL OR location LIKE '/app%'),
  notice jsonb,
  secret jsonb,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, form_key),
  CHECK ((state = 'done') = (location IS NOT NULL AND notice IS NOT NULL)),
  CHECK (state = 'done' OR secret IS NULL)
);
CREATE INDEX page_results_age ON page_results (created_at);

-- What each webhook attempt sent and got back, for the dashboard's delivery page: the request's
-- headers and body, and the response's headers and the start of its body (the worker reads at most
-- 2 KiB of it). Attempts made before this migration have none.
ALTER TABLE webhook_delivery_attempts
  ADD COLUMN request_headers jsonb,
  ADD COLUMN request_body text,
  ADD COLUMN response_headers jsonb,
  ADD COLUMN response_body text CHECK (response_body IS NULL OR length(response_body) <= 2048);
