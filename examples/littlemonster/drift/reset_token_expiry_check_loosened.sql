-- Mistake: password_reset_tokens' expiry CHECK is loosened "to tolerate clock skew
-- between app servers": a token may now expire up to 5 minutes before it was created.
ALTER TABLE password_reset_tokens DROP CONSTRAINT password_reset_tokens_expiry_check;
ALTER TABLE password_reset_tokens
    ADD CONSTRAINT password_reset_tokens_expiry_check
    CHECK (expires_at > created_at - interval '5 minutes');
