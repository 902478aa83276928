-- Abuse limits (domain/abuse_limits.ts, domain/login_throttle.ts): one fixed-window counter per
-- (rule, subject), in the database so every instance shares it. A hit is counted before the work
-- it guards, in one INSERT ... ON CONFLICT statement, so parallel requests cannot all slip under a
-- limit. window_seconds is kept per row so housekeeping can drop counters whose window has ended.
CREATE TABLE rate_counters (
  rule text NOT NULL CHECK (length(rule) BETWEEN 1 AND 40),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 600),
  window_started_at timestamptz NOT NULL,
  window_seconds integer NOT NULL CHECK (window_seconds >= 1),
  hits integer NOT NULL CHECK (hits >= 0),
  PRIMARY KEY (rule, subject)
);

-- Failed logins are now rate_counters rows (attempts counted before the password is checked).
DROP TABLE login_failures;
