-- Mistake: story_illustrations' retry_count CHECK is widened to allow 6 retries
-- ("one more try for the slow image model"), where the document says at most 5
-- (CHECK (retry_count >= 0 AND retry_count <= 5)).
ALTER TABLE story_illustrations DROP CONSTRAINT story_illustrations_retry_count_check;
ALTER TABLE story_illustrations ADD CONSTRAINT story_illustrations_retry_count_check
    CHECK (retry_count >= 0 AND retry_count <= 6);
