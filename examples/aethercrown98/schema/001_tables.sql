-- AetherCrown98: the five tables of "Database Schema Documentation" (## Tables),
-- translated from the document's DDL as written.
--
-- * public.users is the document's own `users` table (with password_hash), kept as
--   documented: it lives in schema public, so it does not clash with Supabase's
--   auth.users, and the document gives it no reference to auth.users (its id defaults
--   to gen_random_uuid()). Its RLS policy compares auth.uid() with users.id, which
--   only matches when the application stores the auth user's id in users.id (see
--   README, "What the document leaves inconsistent").
-- * gen_random_uuid() is core PostgreSQL (13+): no pgcrypto / uuid-ossp needed, as
--   the document already writes it.
-- * DECIMAL(10, 2) is numeric(10,2); TIMESTAMP WITH TIME ZONE is timestamptz.

-- ### 1. users: User authentication and profile information.
CREATE TABLE users (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  email VARCHAR(255) UNIQUE NOT NULL,
  name VARCHAR(255),
  password_hash VARCHAR(255),
  role VARCHAR(50) DEFAULT 'user',
  created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  last_login TIMESTAMP WITH TIME ZONE
);

-- ### 2. ai_clones: AI clone configurations and metadata.
CREATE TABLE ai_clones (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(255) NOT NULL,
  description TEXT,
  model_type VARCHAR(100) NOT NULL,
  status VARCHAR(50) DEFAULT 'active',
  config JSONB DEFAULT '{}',
  created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  user_id UUID REFERENCES users(id) ON DELETE CASCADE
);

-- ### 3. ai_tasks: Task management and execution tracking.
CREATE TABLE ai_tasks (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  clone_id UUID REFERENCES ai_clones(id) ON DELETE CASCADE,
  task_name VARCHAR(255) NOT NULL,
  task_input JSONB DEFAULT '{}',
  task_output JSONB DEFAULT '{}',
  status VARCHAR(50) DEFAULT 'pending',
  priority VARCHAR(50) DEFAULT 'medium',
  error_message TEXT,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  completed_at TIMESTAMP WITH TIME ZONE
);

-- ### 4. payments: Payment transaction records.
CREATE TABLE payments (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id VARCHAR(255) UNIQUE NOT NULL,
  amount DECIMAL(10, 2) NOT NULL,
  currency VARCHAR(10) DEFAULT 'USD',
  status VARCHAR(50) DEFAULT 'created',
  description TEXT,
  payment_method VARCHAR(50) DEFAULT 'paypal',
  metadata JSONB DEFAULT '{}',
  created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  completed_at TIMESTAMP WITH TIME ZONE,
  user_id UUID REFERENCES users(id) ON DELETE SET NULL
);

-- ### 5. activity_logs: System activity and audit logs.
-- The document's "Partition by date for better performance (optional)" lines are
-- commented out there and stay out here: activity_logs is an ordinary table.
CREATE TABLE activity_logs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  log_type VARCHAR(50) NOT NULL,
  entity_id UUID NOT NULL,
  action VARCHAR(255) NOT NULL,
  details JSONB DEFAULT '{}',
  level VARCHAR(50) DEFAULT 'info',
  created_at TIMESTAMP WITH TIME ZONE DEFAULT NOW(),
  user_id UUID REFERENCES users(id) ON DELETE SET NULL
);
