-- "Row Level Security (RLS) Policies", as the document writes them.
--
-- The heading says "Enable RLS on all tables", but its list has nine ALTER TABLE
-- statements: cache_entries (and audit_log, from "Security Considerations") are not
-- among them. The statements are implemented as written; the spec encodes the heading's
-- claim and waives the two tables it is not true of.
ALTER TABLE heroes ENABLE ROW LEVEL SECURITY;
ALTER TABLE stories ENABLE ROW LEVEL SECURITY;
ALTER TABLE story_scenes ENABLE ROW LEVEL SECURITY;
ALTER TABLE story_illustrations ENABLE ROW LEVEL SECURITY;
ALTER TABLE custom_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE hero_gallery ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_limits ENABLE ROW LEVEL SECURITY;
ALTER TABLE content_flags ENABLE ROW LEVEL SECURITY;

-- User Data Policies
-- Heroes: Users can only access their own heroes
CREATE POLICY "Users can view own heroes" ON heroes
    FOR SELECT USING (auth.uid() = user_id);

CREATE POLICY "Users can insert own heroes" ON heroes
    FOR INSERT WITH CHECK (auth.uid() = user_id);

CREATE POLICY "Users can update own heroes" ON heroes
    FOR UPDATE USING (auth.uid() = user_id);

CREATE POLICY "Users can delete own heroes" ON heroes
    FOR DELETE USING (auth.uid() = user_id);

-- Stories: Users can only access their own stories
CREATE POLICY "Users can view own stories" ON stories
    FOR SELECT USING (auth.uid() = user_id);

CREATE POLICY "Users can insert own stories" ON stories
    FOR INSERT WITH CHECK (auth.uid() = user_id);

-- Custom Events: Users can view public events or their own
CREATE POLICY "Users can view events" ON custom_events
    FOR SELECT USING (auth.uid() = user_id OR is_public = true);

CREATE POLICY "Users can manage own events" ON custom_events
    FOR ALL USING (auth.uid() = user_id);

-- Service Role Policies: "Allow service role full access for system operations",
-- shown for heroes and stories, then "Continue for all tables...": the same policy,
-- under the same name, on every other table.
CREATE POLICY "Service role has full access" ON heroes
    FOR ALL USING (auth.role() = 'service_role');

CREATE POLICY "Service role has full access" ON stories
    FOR ALL USING (auth.role() = 'service_role');

CREATE POLICY "Service role has full access" ON story_scenes
    FOR ALL USING (auth.role() = 'service_role');

CREATE POLICY "Service role has full access" ON story_illustrations
    FOR ALL USING (auth.role() = 'service_role');

CREATE POLICY "Service role has full access" ON custom_events
    FOR ALL USING (auth.role() = 'service_role');

CREATE POLICY "Service role has full access" ON hero_gallery
    FOR ALL USING (auth.role() = 'service_role');

CREATE POLICY "Service role has full access" ON api_usage
    FOR ALL USING (auth.role() = 'service_role');

CREATE POLICY "Service role has full access" ON rate_limits
    FOR ALL USING (auth.role() = 'service_role');

CREATE POLICY "Service role has full access" ON cache_entries
    FOR ALL USING (auth.role() = 'service_role');

CREATE POLICY "Service role has full access" ON content_flags
    FOR ALL USING (auth.role() = 'service_role');

CREATE POLICY "Service role has full access" ON audit_log
    FOR ALL USING (auth.role() = 'service_role');
