-- Mistake: usage is mistaken for a leftover of the old tracking system and dropped; the
-- document's "Core App Tables (2)" group lists conversations and usage.
DROP TABLE public.usage;
