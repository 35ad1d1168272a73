-- Mistake: idx_refresh_tokens_user_id is dropped as "unused" (the token lookup goes
-- by token_hash), so the foreign key refresh_tokens.user_id is no longer indexed and
-- every user deletion scans refresh_tokens.
DROP INDEX idx_refresh_tokens_user_id;
