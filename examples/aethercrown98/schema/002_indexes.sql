-- AetherCrown98 indexes: every CREATE INDEX of "## Tables" (the "-- Indexes" block
-- under each table) and of "## Performance Optimization", as written.
--
-- idx_users_email and idx_payments_order_id repeat the indexes behind the UNIQUE
-- constraints on those columns, and idx_clone_config_gin ("1. JSONB Indexes")
-- repeats idx_clones_config under another name: the document asks for each, so each
-- is created (see README).

-- ### 1. users
CREATE INDEX idx_users_email ON users(email);
CREATE INDEX idx_users_created_at ON users(created_at);

-- ### 2. ai_clones ("Indexes for performance")
CREATE INDEX idx_clones_user_id ON ai_clones(user_id);
CREATE INDEX idx_clones_status ON ai_clones(status);
CREATE INDEX idx_clones_created_at ON ai_clones(created_at DESC);
CREATE INDEX idx_clones_config ON ai_clones USING GIN (config);

-- ### 3. ai_tasks ("Indexes for querying and filtering")
CREATE INDEX idx_tasks_clone_id ON ai_tasks(clone_id);
CREATE INDEX idx_tasks_status ON ai_tasks(status);
CREATE INDEX idx_tasks_priority ON ai_tasks(priority);
CREATE INDEX idx_tasks_created_at ON ai_tasks(created_at DESC);
CREATE INDEX idx_tasks_completed_at ON ai_tasks(completed_at DESC);
CREATE INDEX idx_tasks_input ON ai_tasks USING GIN (task_input);
CREATE INDEX idx_tasks_output ON ai_tasks USING GIN (task_output);

-- ### 4. payments ("Indexes for payment queries")
CREATE INDEX idx_payments_order_id ON payments(order_id);
CREATE INDEX idx_payments_status ON payments(status);
CREATE INDEX idx_payments_user_id ON payments(user_id);
CREATE INDEX idx_payments_created_at ON payments(created_at DESC);
CREATE INDEX idx_payments_amount ON payments(amount);
CREATE INDEX idx_payments_metadata ON payments USING GIN (metadata);

-- ### 5. activity_logs ("Indexes for log queries")
CREATE INDEX idx_logs_type ON activity_logs(log_type);
CREATE INDEX idx_logs_entity_id ON activity_logs(entity_id);
CREATE INDEX idx_logs_level ON activity_logs(level);
CREATE INDEX idx_logs_created_at ON activity_logs(created_at DESC);
CREATE INDEX idx_logs_user_id ON activity_logs(user_id);
CREATE INDEX idx_logs_details ON activity_logs USING GIN (details);

-- ## Performance Optimization
-- ### 1. JSONB Indexes: "Use GIN indexes for JSONB fields to enable fast queries"
CREATE INDEX idx_clone_config_gin ON ai_clones USING GIN (config);

-- ### 2. Partial Indexes: "Create indexes for frequently queried subsets"
CREATE INDEX idx_active_tasks ON ai_tasks(clone_id)
  WHERE status IN ('pending', 'in_progress');

-- ### 3. Composite Indexes: "For common multi-column queries"
CREATE INDEX idx_tasks_clone_status ON ai_tasks(clone_id, status);
