-- InfiniteStories: "Core Tables" and "Supporting Tables" of the database document
-- (/work/shared/seeds/infinitestories.md), translated to valid PostgreSQL.
--
-- Translation notes (see the example's README):
--   * The document writes `DEFAULT uuid_generate_v4()` (uuid-ossp). The embedded
--     PostgreSQL 18 has no uuid-ossp, so every key uses core gen_random_uuid()
--     (PostgreSQL 13+), which makes the same kind of random version-4 UUID.
--   * The document writes MySQL-style inline `INDEX name (cols)` clauses, which
--     PostgreSQL rejects. Each one is a CREATE INDEX with the same name, columns and
--     order right after its table.
--   * stories references custom_events, but the document defines custom_events after
--     stories (its CREATE TABLE stories cannot run in document order): custom_events is
--     created first here.
--   * DECIMAL is PostgreSQL's numeric; auth.users comes from the Supabase profile.
--   * audit_log is the table of the document's "Security Considerations / Audit Logging"
--     section; it is created here with the other tables.

-- heroes: "Stores character information for personalized story generation."
CREATE TABLE heroes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID REFERENCES auth.users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    primary_trait TEXT NOT NULL,
    secondary_trait TEXT NOT NULL,
    appearance TEXT,
    special_ability TEXT,
    avatar_prompt TEXT,
    avatar_url TEXT,
    avatar_generation_id TEXT, -- DALL-E generation ID for consistency
    visual_profile JSONB, -- Detailed visual characteristics
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    is_active BOOLEAN DEFAULT true,

    -- Constraints
    CONSTRAINT hero_name_length CHECK (LENGTH(name) BETWEEN 1 AND 50),
    CONSTRAINT valid_traits CHECK (primary_trait != secondary_trait)
);
CREATE INDEX idx_heroes_user_id ON heroes (user_id);
CREATE INDEX idx_heroes_user_active ON heroes (user_id, is_active);

-- custom_events: "User-created story templates and scenarios." (moved before stories)
CREATE TABLE custom_events (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID REFERENCES auth.users(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT,
    prompt_seed TEXT NOT NULL,
    category TEXT CHECK (category IN ('adventure', 'fantasy', 'science',
                                      'nature', 'friendship', 'mystery')),
    age_range TEXT CHECK (age_range IN ('4-6', '6-8', '8-10', 'all')),
    tone TEXT CHECK (tone IN ('calming', 'exciting', 'educational', 'humorous')),
    keywords TEXT[],
    pictogram_url TEXT,
    usage_count INTEGER DEFAULT 0 CHECK (usage_count >= 0),
    is_favorite BOOLEAN DEFAULT false,
    is_public BOOLEAN DEFAULT false, -- For sharing events
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX idx_events_user ON custom_events (user_id);
CREATE INDEX idx_events_public ON custom_events (is_public, category);
CREATE INDEX idx_events_favorite ON custom_events (user_id, is_favorite);

-- stories: "Generated story content with comprehensive metadata."
CREATE TABLE stories (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID REFERENCES auth.users(id) ON DELETE CASCADE,
    hero_id UUID REFERENCES heroes(id) ON DELETE SET NULL,
    custom_event_id UUID REFERENCES custom_events(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    event_type TEXT NOT NULL CHECK (event_type IN ('built_in', 'custom')),
    event_data JSONB NOT NULL,
    audio_url TEXT,
    audio_duration INTERVAL,
    audio_voice TEXT,
    language TEXT DEFAULT 'en' CHECK (language IN ('en', 'es', 'fr', 'de', 'it')),
    estimated_duration INTERVAL,
    word_count INTEGER CHECK (word_count > 0),
    generation_metadata JSONB,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW(),
    is_favorite BOOLEAN DEFAULT false,
    play_count INTEGER DEFAULT 0 CHECK (play_count >= 0),
    last_played_at TIMESTAMPTZ
);
CREATE INDEX idx_stories_user_created ON stories (user_id, created_at DESC);
CREATE INDEX idx_stories_hero ON stories (hero_id);
CREATE INDEX idx_stories_favorite ON stories (user_id, is_favorite);
CREATE INDEX idx_stories_language ON stories (language);

-- story_scenes: "Extracted scenes for illustration generation with synchronization data."
CREATE TABLE story_scenes (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    story_id UUID REFERENCES stories(id) ON DELETE CASCADE,
    scene_number INTEGER NOT NULL CHECK (scene_number > 0),
    text_segment TEXT NOT NULL,
    illustration_prompt TEXT NOT NULL,
    sanitized_prompt TEXT,
    timestamp_seconds DECIMAL NOT NULL CHECK (timestamp_seconds >= 0),
    emotion TEXT CHECK (emotion IN ('joyful', 'peaceful', 'exciting', 'mysterious',
                                     'heartwarming', 'adventurous', 'contemplative')),
    importance TEXT CHECK (importance IN ('key', 'major', 'minor')),
    created_at TIMESTAMPTZ DEFAULT NOW(),

    -- Unique constraint
    UNIQUE(story_id, scene_number)
);
CREATE INDEX idx_scenes_story ON story_scenes (story_id);
CREATE INDEX idx_scenes_importance ON story_scenes (story_id, importance);

-- story_illustrations: "Generated images for story scenes with generation tracking."
CREATE TABLE story_illustrations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    scene_id UUID REFERENCES story_scenes(id) ON DELETE CASCADE,
    story_id UUID REFERENCES stories(id) ON DELETE CASCADE,
    image_url TEXT,
    thumbnail_url TEXT,
    generation_id TEXT, -- DALL-E generation ID
    previous_generation_id TEXT, -- For visual consistency chaining
    revised_prompt TEXT, -- OpenAI's revised prompt
    status TEXT DEFAULT 'pending' CHECK (status IN ('pending', 'processing',
                                                    'completed', 'failed', 'retrying')),
    error_message TEXT,
    retry_count INTEGER DEFAULT 0 CHECK (retry_count >= 0 AND retry_count <= 5),
    generation_metadata JSONB,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    updated_at TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX idx_illustrations_story ON story_illustrations (story_id);
CREATE INDEX idx_illustrations_status ON story_illustrations (status);
CREATE INDEX idx_illustrations_scene ON story_illustrations (scene_id);

-- hero_gallery: "Collection of hero avatars with generation history."
CREATE TABLE hero_gallery (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    hero_id UUID REFERENCES heroes(id) ON DELETE CASCADE,
    image_url TEXT NOT NULL,
    thumbnail_url TEXT,
    generation_id TEXT,
    prompt_used TEXT,
    is_primary BOOLEAN DEFAULT false,
    created_at TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX idx_gallery_hero ON hero_gallery (hero_id);
CREATE INDEX idx_gallery_primary ON hero_gallery (hero_id, is_primary);

-- api_usage: "Comprehensive tracking of API calls for monitoring and billing."
-- A plain table, as its DDL says (the "Partitioning Strategy" section's
-- PARTITION OF api_usage cannot run against it: see the README).
CREATE TABLE api_usage (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID REFERENCES auth.users(id) ON DELETE CASCADE,
    function_name TEXT NOT NULL,
    request_id TEXT UNIQUE,
    status TEXT CHECK (status IN ('success', 'error', 'rate_limited')),
    response_time_ms INTEGER CHECK (response_time_ms >= 0),
    tokens_used INTEGER CHECK (tokens_used >= 0),
    cost_estimate DECIMAL(10, 6) CHECK (cost_estimate >= 0),
    error_message TEXT,
    error_code TEXT,
    metadata JSONB,
    created_at TIMESTAMPTZ DEFAULT NOW()
);
-- Indexes for analytics
CREATE INDEX idx_usage_user_created ON api_usage (user_id, created_at DESC);
CREATE INDEX idx_usage_function_created ON api_usage (function_name, created_at DESC);
CREATE INDEX idx_usage_status ON api_usage (status, created_at DESC);
CREATE INDEX idx_usage_request ON api_usage (request_id); -- as documented, beside UNIQUE's own index

-- rate_limits: "Per-user rate limiting with sliding windows."
CREATE TABLE rate_limits (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL,
    function_name TEXT NOT NULL,
    request_count INTEGER DEFAULT 1 CHECK (request_count > 0),
    window_start TIMESTAMPTZ NOT NULL,
    window_end TIMESTAMPTZ NOT NULL,

    -- Unique constraint for window tracking
    UNIQUE(user_id, function_name, window_start),

    -- Constraint
    CONSTRAINT valid_window CHECK (window_end > window_start)
);
CREATE INDEX idx_limits_user_function ON rate_limits (user_id, function_name);
CREATE INDEX idx_limits_window ON rate_limits (window_end);

-- cache_entries: "Database-backed caching for expensive operations."
CREATE TABLE cache_entries (
    key TEXT PRIMARY KEY,
    value JSONB NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    access_count INTEGER DEFAULT 0 CHECK (access_count >= 0),
    last_accessed_at TIMESTAMPTZ DEFAULT NOW(),
    size_bytes INTEGER CHECK (size_bytes > 0)
);
CREATE INDEX idx_cache_expires ON cache_entries (expires_at);
CREATE INDEX idx_cache_accessed ON cache_entries (last_accessed_at);

-- content_flags: "Content moderation and safety tracking."
CREATE TABLE content_flags (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    content_type TEXT CHECK (content_type IN ('story', 'prompt', 'image')),
    content_id UUID NOT NULL,
    flag_type TEXT CHECK (flag_type IN ('violence', 'fear', 'inappropriate',
                                        'isolation', 'medical', 'other')),
    severity TEXT CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    action_taken TEXT CHECK (action_taken IN ('filtered', 'rejected', 'modified', 'approved')),
    original_content TEXT,
    modified_content TEXT,
    ai_confidence DECIMAL(3, 2) CHECK (ai_confidence >= 0 AND ai_confidence <= 1),
    created_at TIMESTAMPTZ DEFAULT NOW(),
    reviewed_at TIMESTAMPTZ,
    reviewed_by UUID REFERENCES auth.users(id)
);
CREATE INDEX idx_flags_content ON content_flags (content_type, content_id);
CREATE INDEX idx_flags_severity ON content_flags (severity, created_at DESC);
CREATE INDEX idx_flags_unreviewed ON content_flags (reviewed_at NULLS FIRST);

-- audit_log: "Security Considerations / Audit Logging".
CREATE TABLE audit_log (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    table_name TEXT NOT NULL,
    operation TEXT NOT NULL,
    user_id UUID,
    changed_data JSONB,
    created_at TIMESTAMPTZ DEFAULT NOW()
);
