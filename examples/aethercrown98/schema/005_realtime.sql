-- AetherCrown98 "## Real-time Subscriptions": "In Supabase dashboard, enable
-- real-time for: ai_clones, ai_tasks, payments, activity_logs".
-- The dashboard switch adds the table to the publication `supabase_realtime`, which
-- every Supabase project has. The Supabase profile of schemaprobe does not create it
-- (no realtime is installed), so it is created here when missing; on a real Supabase
-- database only the ALTER PUBLICATION does anything.
-- schemaprobe's spec format has no publications: this file is not checked (README).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'supabase_realtime') THEN
    CREATE PUBLICATION supabase_realtime;
  END IF;
END
$$;

ALTER PUBLICATION supabase_realtime ADD TABLE ai_clones, ai_tasks, payments, activity_logs;
