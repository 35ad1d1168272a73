-- Mistake: story_scenes.story_id is re-created ON DELETE SET NULL (to "keep scenes for
-- analytics"), so deleting a story leaves orphan scenes; the document says
-- story_id UUID REFERENCES stories(id) ON DELETE CASCADE.
ALTER TABLE story_scenes DROP CONSTRAINT story_scenes_story_id_fkey;
ALTER TABLE story_scenes ADD CONSTRAINT story_scenes_story_id_fkey
    FOREIGN KEY (story_id) REFERENCES stories(id) ON DELETE SET NULL;
