-- Mistake: Portuguese is shipped by adding 'pt' to stories' language CHECK, but the
-- document lists exactly ('en', 'es', 'fr', 'de', 'it').
ALTER TABLE stories DROP CONSTRAINT stories_language_check;
ALTER TABLE stories ADD CONSTRAINT stories_language_check
    CHECK (language IN ('en', 'es', 'fr', 'de', 'it', 'pt'));
