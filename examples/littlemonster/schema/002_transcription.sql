-- Little Monster: 002_transcription.sql - Speech-to-text services
-- ("Individual Schemas" 2; tables transcription_jobs, transcriptions).
-- Design note: no DDL in the document; columns designed from "STT job queue" and
-- "Completed transcriptions".

-- transcription_jobs - STT job queue
CREATE TABLE transcription_jobs (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    audio_url TEXT NOT NULL,
    language VARCHAR(10) NOT NULL DEFAULT 'en',
    status VARCHAR(20) NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
    error_message TEXT,
    started_at TIMESTAMPTZ,
    completed_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_transcription_jobs_user_id ON transcription_jobs (user_id);
CREATE INDEX idx_transcription_jobs_status ON transcription_jobs (status);
CREATE INDEX idx_transcription_jobs_created_at ON transcription_jobs (created_at);

CREATE TRIGGER update_transcription_jobs_updated_at
    BEFORE UPDATE ON transcription_jobs
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- transcriptions - Completed transcriptions (kept when their job record is purged)
CREATE TABLE transcriptions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    transcription_job_id UUID REFERENCES transcription_jobs(id) ON DELETE SET NULL,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    language VARCHAR(10),
    duration_seconds NUMERIC(10, 2),
    confidence REAL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_transcriptions_transcription_job_id ON transcriptions (transcription_job_id);
CREATE INDEX idx_transcriptions_user_id ON transcriptions (user_id);
CREATE INDEX idx_transcriptions_created_at ON transcriptions (created_at);
