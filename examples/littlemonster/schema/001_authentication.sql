-- Little Monster: 001_authentication.sql - User accounts, OAuth, JWT tokens
-- ("Individual Schemas" 1; tables users, oauth_connections, refresh_tokens,
-- password_reset_tokens).
--
-- Design note: the document names and describes these tables but gives no DDL; the
-- columns below are the ones its descriptions imply ("User accounts (email, password,
-- OAuth)", "OAuth provider links", "JWT refresh tokens", "Password reset tokens") and
-- its "Key Features" (created_at set on insert, updated_at kept by triggers, cascading
-- deletes, unique emails and tokens, token-expiry CHECKs, NOT NULL on critical fields).
-- Plain PostgreSQL: the platform keeps its own users table (no Supabase auth schema).
-- UUID keys use core gen_random_uuid() (PostgreSQL 13+), not pgcrypto/uuid-ossp.

-- "Automatic Timestamps": updated_at - Auto-updated on modification (via triggers).
-- One trigger function shared by the four updated_at triggers ("Total Triggers: 4").
CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at = now();
    RETURN NEW;
END;
$$;

-- users - User accounts (email, password, OAuth)
CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) NOT NULL,
    password_hash VARCHAR(255),              -- NULL for OAuth-only accounts
    full_name VARCHAR(255),
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    is_verified BOOLEAN NOT NULL DEFAULT FALSE,
    last_login_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE INDEX idx_users_created_at ON users (created_at);

CREATE TRIGGER update_users_updated_at
    BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- oauth_connections - OAuth provider links
CREATE TABLE oauth_connections (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    provider VARCHAR(50) NOT NULL,           -- 'google', 'github', ...
    provider_user_id VARCHAR(255) NOT NULL,
    provider_email VARCHAR(255),
    access_token TEXT,
    refresh_token TEXT,
    token_expires_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT oauth_connections_provider_user_key UNIQUE (provider, provider_user_id)
);

CREATE INDEX idx_oauth_connections_user_id ON oauth_connections (user_id);
CREATE INDEX idx_oauth_connections_created_at ON oauth_connections (created_at);

-- refresh_tokens - JWT refresh tokens (stored hashed)
CREATE TABLE refresh_tokens (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash VARCHAR(255) NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    user_agent TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT refresh_tokens_expiry_check CHECK (expires_at > created_at)
);

CREATE INDEX idx_refresh_tokens_user_id ON refresh_tokens (user_id);
CREATE INDEX idx_refresh_tokens_created_at ON refresh_tokens (created_at);
CREATE INDEX idx_refresh_tokens_expires_at ON refresh_tokens (expires_at);   -- purge of expired tokens

-- password_reset_tokens - Password reset tokens (stored hashed, single use)
CREATE TABLE password_reset_tokens (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash VARCHAR(255) NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT password_reset_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT password_reset_tokens_expiry_check CHECK (expires_at > created_at)
);

CREATE INDEX idx_password_reset_tokens_user_id ON password_reset_tokens (user_id);
CREATE INDEX idx_password_reset_tokens_created_at ON password_reset_tokens (created_at);
