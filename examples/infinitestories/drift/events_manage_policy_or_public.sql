-- Mistake: "Users can manage own events" (FOR ALL) is given the SELECT policy's
-- condition, OR is_public = true, so any user can update or delete everyone's public
-- events; the document says FOR ALL USING (auth.uid() = user_id).
ALTER POLICY "Users can manage own events" ON custom_events
    USING (auth.uid() = user_id OR is_public = true);
