-- Mistake: the enum-like CHECK on feedback.priority is dropped to let a support tool
-- write 'critical'; priority now takes any string.
ALTER TABLE public.feedback DROP CONSTRAINT feedback_priority_check;
