-- Failed logins counted per email and per client address, in the database so the limit holds
-- across every instance of the app. One fixed window per subject; a success clears the email's.
CREATE TABLE login_failures (
  scope text NOT NULL CHECK (scope IN ('email', 'client')),
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 400),
  window_started_at timestamptz NOT NULL,
  failures integer NOT NULL CHECK (failures >= 1),
  PRIMARY KEY (scope, subject)
);
