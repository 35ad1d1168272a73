-- Mistake: the UNIQUE constraint on users.email is dropped by someone who took it for
-- a duplicate of idx_users_email; two accounts can now share an email address.
ALTER TABLE users DROP CONSTRAINT users_email_key;
