-- Mistake: the composite DESC index idx_usage_user_function_time is dropped as
-- "redundant with idx_usage_user_created", though the document's "Composite Indexes"
-- section requires api_usage(user_id, function_name, created_at DESC).
DROP INDEX idx_usage_user_function_time;
