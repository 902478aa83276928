-- Sessions and keys (issue #14): access tokens that can be revoked at once on every instance, and
-- API keys with scopes, an expiry and a lineage.

-- Bumped by a password change: a token carries the generation it was issued under (claim `gen`)
-- and is refused once the user's has moved on. An integer rather than a "valid after" time: a
-- token's `iat` has one-second resolution, so a time would refuse a login made in the same second
-- as the change, or accept a token made just before it; the counter is exact and needs no clock.
ALTER TABLE users
  ADD COLUMN token_generation integer NOT NULL DEFAULT 0 CHECK (token_generation >= 0);

-- Sessions signed out before their tokens expire, by the tokens' `sid` claim (one per login; the
-- dashboard's sliding tokens share their session's). A row is needed only while a token of that
-- session could still be unexpired: expires_at says until when, and logout purges older rows.
CREATE TABLE revoked_sessions (
  sid uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  revoked_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX revoked_sessions_expiry ON revoked_sessions (expires_at);

-- Scopes: read (GETs), money (read + movements and simulations), admin (everything). Keys made
-- before scopes existed get the contract's default. A key made by a key records every key above
-- it: it works only while none of them is revoked or expired, so revoking a leaked key contains
-- whatever it minted.
ALTER TABLE api_keys
  ADD COLUMN scopes text[] NOT NULL DEFAULT '{read,money}'
    CHECK (cardinality(scopes) BETWEEN 1 AND 3 AND scopes <@ '{read,money,admin}'::text[]),
  ADD COLUMN expires_at timestamptz,
  ADD COLUMN ancestor_key_ids uuid[] NOT NULL DEFAULT '{}'
    CHECK (cardinality(ancestor_key_ids) <= 20);
