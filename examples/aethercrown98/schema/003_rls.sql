-- AetherCrown98 "## Row Level Security (RLS)": "Enable RLS for multi-tenant security",
-- the document's statements as written. auth.uid() comes from Supabase (here: the
-- schemaprobe Supabase profile). The policies have no TO clause, so they apply to
-- PUBLIC, as in the document.

-- Enable RLS on all tables
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_clones ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_tasks ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE activity_logs ENABLE ROW LEVEL SECURITY;

-- Example policies (customize based on your needs)
-- Users can only see their own data
CREATE POLICY user_select_own ON users
  FOR SELECT USING (auth.uid() = id);

CREATE POLICY clone_select_own ON ai_clones
  FOR SELECT USING (auth.uid() = user_id);

-- A task is the caller's when its clone is: ownership is reached through ai_clones.
CREATE POLICY task_select_clone ON ai_tasks
  FOR SELECT USING (
    clone_id IN (
      SELECT id FROM ai_clones WHERE user_id = auth.uid()
    )
  );
