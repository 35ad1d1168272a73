-- Otakon V19 "Ultimate Master Schema": the 26 tables the document lists, by group.
--
-- The document (OTAKON_V19_ULTIMATE_MASTER_SCHEMA.md) names the tables and says what each
-- holds but gives no DDL: the columns below are designed from those descriptions (each
-- table's comment quotes its description). Conventions, from "Data Types" and the
-- Supabase setting:
--   * "Efficient UUIDs for primary keys": id uuid PRIMARY KEY DEFAULT gen_random_uuid()
--     (core PostgreSQL 13+; no pgcrypto / uuid-ossp needed).
--   * user data: user_id uuid REFERENCES auth.users(id) ON DELETE CASCADE ("Proper user
--     isolation"); auth.users comes from the Supabase profile, not from this file.
--   * "JSONB for flexible data storage", "Optimized timestamps": created_at / updated_at
--     timestamptz DEFAULT now(); append-only records (feedback, behaviour events, build
--     snapshots, session summaries, API costs) have created_at only.
-- Tables are created in dependency order; groups are noted per table.

-- Core User Tables: user_profiles - Basic user information with admin flags
CREATE TABLE public.user_profiles (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL UNIQUE REFERENCES auth.users(id) ON DELETE CASCADE,
    username text UNIQUE,
    display_name text,
    avatar_url text,
    is_admin boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Core User Tables: player_profiles - Gaming preferences and playstyle
CREATE TABLE public.player_profiles (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL UNIQUE REFERENCES auth.users(id) ON DELETE CASCADE,
    hint_style text NOT NULL DEFAULT 'balanced',
    player_focus text NOT NULL DEFAULT 'story',
    preferred_tone text NOT NULL DEFAULT 'encouraging',
    spoiler_tolerance text NOT NULL DEFAULT 'minimal',
    profile_data jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Core User Tables: user_preferences - App behavior and AI interaction settings
CREATE TABLE public.user_preferences (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL UNIQUE REFERENCES auth.users(id) ON DELETE CASCADE,
    app_settings jsonb NOT NULL DEFAULT '{}'::jsonb,
    ai_settings jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Game Knowledge Tables: games - Game metadata and information
CREATE TABLE public.games (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    title text NOT NULL UNIQUE,
    genre text,
    metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Core App Tables: conversations - Chat history and game context
CREATE TABLE public.conversations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    game_id uuid REFERENCES public.games(id) ON DELETE SET NULL,
    title text,
    messages jsonb NOT NULL DEFAULT '[]'::jsonb,
    game_context jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Core App Tables: usage - API usage tracking and tier management
CREATE TABLE public.usage (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL UNIQUE REFERENCES auth.users(id) ON DELETE CASCADE,
    tier text NOT NULL DEFAULT 'free',
    text_count integer NOT NULL DEFAULT 0,
    image_count integer NOT NULL DEFAULT 0,
    period_start timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- AI & Context Tables: ai_context - AI conversation context and relevance
CREATE TABLE public.ai_context (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    conversation_id uuid REFERENCES public.conversations(id) ON DELETE CASCADE,
    context_type text NOT NULL,
    context_data jsonb NOT NULL DEFAULT '{}'::jsonb,
    relevance_score real,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- AI & Context Tables: ai_feedback - User feedback on AI responses
CREATE TABLE public.ai_feedback (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    conversation_id uuid REFERENCES public.conversations(id) ON DELETE CASCADE,
    feedback_type text NOT NULL,
    rating smallint,
    comment text,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- AI & Context Tables: ai_learning - AI learning and improvement data
CREATE TABLE public.ai_learning (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    learning_type text NOT NULL,
    pattern_data jsonb NOT NULL DEFAULT '{}'::jsonb,
    confidence real,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Content & Behavior Tables: user_behavior - User interaction patterns
CREATE TABLE public.user_behavior (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    action text NOT NULL,
    action_data jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Content & Behavior Tables: content_generation_triggers - Content creation rules
CREATE TABLE public.content_generation_triggers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    trigger_type text NOT NULL,
    conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Content & Behavior Tables: global_content_cache - Performance optimization cache
CREATE TABLE public.global_content_cache (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    cache_key text NOT NULL UNIQUE,
    content jsonb NOT NULL DEFAULT '{}'::jsonb,
    expires_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Legacy Tables: insight_tabs - Basic insight system (maintained for compatibility)
CREATE TABLE public.insight_tabs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    conversation_id uuid NOT NULL REFERENCES public.conversations(id) ON DELETE CASCADE,
    tab_id text NOT NULL,
    title text,
    content text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Legacy Tables: contact_submissions - User support requests
CREATE TABLE public.contact_submissions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid REFERENCES auth.users(id) ON DELETE SET NULL,
    name text,
    email text NOT NULL,
    message text NOT NULL,
    status text NOT NULL DEFAULT 'new',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Legacy Tables: waitlist - User registration queue
CREATE TABLE public.waitlist (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL UNIQUE,
    source text,
    status text NOT NULL DEFAULT 'pending',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Game Knowledge Tables: game_knowledge - AI knowledge base
CREATE TABLE public.game_knowledge (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    game_id uuid NOT NULL REFERENCES public.games(id) ON DELETE CASCADE,
    knowledge_type text NOT NULL,
    content jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Game Knowledge Tables: game_objectives - Quest and achievement tracking
CREATE TABLE public.game_objectives (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    game_id uuid NOT NULL REFERENCES public.games(id) ON DELETE CASCADE,
    title text NOT NULL,
    objective_type text NOT NULL DEFAULT 'quest',
    is_completed boolean NOT NULL DEFAULT false,
    completed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Progress Tracking Tables: player_progress - Legacy progress system
CREATE TABLE public.player_progress (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    game_id uuid NOT NULL REFERENCES public.games(id) ON DELETE CASCADE,
    progress_data jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Progress Tracking Tables: game_contexts - V19 enhanced progress tracking
CREATE TABLE public.game_contexts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    game_id uuid NOT NULL REFERENCES public.games(id) ON DELETE CASCADE,
    playthrough_number integer NOT NULL DEFAULT 1,
    current_session_id uuid,
    progress jsonb NOT NULL DEFAULT '{}'::jsonb,
    last_played_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- V19 New Tables: build_snapshots - Character builds and stats
CREATE TABLE public.build_snapshots (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    game_context_id uuid NOT NULL REFERENCES public.game_contexts(id) ON DELETE CASCADE,
    build_data jsonb NOT NULL DEFAULT '{}'::jsonb,
    stats jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- V19 New Tables: session_summaries - Gameplay session analytics
CREATE TABLE public.session_summaries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    game_context_id uuid NOT NULL REFERENCES public.game_contexts(id) ON DELETE CASCADE,
    summary text,
    session_data jsonb NOT NULL DEFAULT '{}'::jsonb,
    duration_seconds integer,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- V19 New Tables: conversation_contexts - Rich conversation state
CREATE TABLE public.conversation_contexts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    conversation_id uuid NOT NULL UNIQUE REFERENCES public.conversations(id) ON DELETE CASCADE,
    context_state jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- V19 New Tables: enhanced_insights - Profile-aware AI insights
CREATE TABLE public.enhanced_insights (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    conversation_id uuid NOT NULL REFERENCES public.conversations(id) ON DELETE CASCADE,
    tab_id text NOT NULL,
    profile_aware boolean NOT NULL DEFAULT true,
    priority text NOT NULL DEFAULT 'medium',
    generation_model text,
    content text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- V19 New Tables: proactive_triggers - AI insight triggers
CREATE TABLE public.proactive_triggers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    trigger_type text NOT NULL,
    trigger_data jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- V19 New Tables: proactive_insights - Generated AI suggestions
CREATE TABLE public.proactive_insights (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES auth.users(id) ON DELETE CASCADE,
    trigger_id uuid REFERENCES public.proactive_triggers(id) ON DELETE SET NULL,
    insight_type text NOT NULL,
    content text NOT NULL,
    priority text NOT NULL DEFAULT 'medium',
    is_read boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- V19 New Tables: api_cost_tracking - Admin cost monitoring
CREATE TABLE public.api_cost_tracking (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid REFERENCES auth.users(id) ON DELETE SET NULL,
    model text NOT NULL,
    request_type text NOT NULL,
    input_tokens integer NOT NULL DEFAULT 0,
    output_tokens integer NOT NULL DEFAULT 0,
    cost_usd numeric(12,6) NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);
