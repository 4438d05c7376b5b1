-- Signing out revokes the session's access token until it expires: a copied session cookie
-- or token no longer works. Tokens are kept by their SHA-256 only.
CREATE TABLE revoked_tokens (
    token_hash text PRIMARY KEY,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX revoked_tokens_expiry ON revoked_tokens (expires_at);
