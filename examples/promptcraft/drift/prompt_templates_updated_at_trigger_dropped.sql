-- Mistake: a bulk import dropped prompt_templates' updated_at trigger to load faster
-- and never re-created it; updated_at now keeps each row's creation time.
DROP TRIGGER update_prompt_templates_updated_at ON public.prompt_templates;
