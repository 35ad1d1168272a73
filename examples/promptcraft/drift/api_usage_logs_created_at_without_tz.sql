-- Mistake: api_usage_logs.created_at is changed to timestamp WITHOUT time zone (the
-- "Bad" slow_table of the anti-patterns), so log times lose their zone.
ALTER TABLE public.api_usage_logs ALTER COLUMN created_at TYPE timestamp without time zone;
