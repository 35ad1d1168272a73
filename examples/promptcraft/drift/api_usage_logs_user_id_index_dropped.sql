-- Mistake: the user_id index of api_usage_logs is dropped as "unused" on a quiet
-- staging database; every per-user usage query now scans the log.
DROP INDEX public.idx_api_usage_logs_user_id;
