-- Mistake: row level security is switched off on stories while debugging a "missing
-- stories" report and never switched back on, so every user reads every story; the
-- document enables it ("ALTER TABLE stories ENABLE ROW LEVEL SECURITY").
ALTER TABLE stories DISABLE ROW LEVEL SECURITY;
