-- "Indexes Strategy", as the document writes it.
--
-- Four of its statements repeat an index the table DDL already created under the same
-- name and with the same definition (idx_heroes_user_active, idx_stories_hero,
-- idx_scenes_story, idx_illustrations_scene): as plain CREATE INDEX they would fail with
-- "relation already exists", so they are written IF NOT EXISTS (no-ops).
--
-- idx_events_public is a contradiction: the custom_events DDL defines it on
-- (is_public, category), this section on (is_public, category) WHERE is_public = true.
-- One name cannot hold both; the DDL's index exists, this statement is a no-op, and the
-- spec waives the partial index it promises.
--
-- idx_stories_user_recent and idx_cache_expiry repeat idx_stories_user_created and
-- idx_cache_expires under new names: both are created, as documented (duplicates).

-- Primary Indexes
-- User content access patterns
CREATE INDEX idx_stories_user_recent ON stories(user_id, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_heroes_user_active ON heroes(user_id, is_active);

-- Foreign key relationships
CREATE INDEX IF NOT EXISTS idx_stories_hero ON stories(hero_id);
CREATE INDEX IF NOT EXISTS idx_scenes_story ON story_scenes(story_id);
CREATE INDEX IF NOT EXISTS idx_illustrations_scene ON story_illustrations(scene_id);

-- Query optimization
CREATE INDEX idx_stories_favorites ON stories(user_id, is_favorite) WHERE is_favorite = true;
CREATE INDEX IF NOT EXISTS idx_events_public ON custom_events(is_public, category) WHERE is_public = true;

-- Time-based queries
CREATE INDEX idx_usage_recent ON api_usage(created_at DESC);
CREATE INDEX idx_cache_expiry ON cache_entries(expires_at);

-- Composite Indexes
-- Multi-column indexes for complex queries
CREATE INDEX idx_usage_user_function_time
    ON api_usage(user_id, function_name, created_at DESC);

CREATE INDEX idx_stories_user_hero_created
    ON stories(user_id, hero_id, created_at DESC);

CREATE INDEX idx_flags_type_severity_time
    ON content_flags(content_type, severity, created_at DESC);
