-- Mistake: the UNIQUE constraint on users.email is replaced by a plain lookup index
-- ("the unique check is done in the application"), so two accounts can share an email.
ALTER TABLE users DROP CONSTRAINT users_email_key;
CREATE INDEX idx_users_email ON users (email);
