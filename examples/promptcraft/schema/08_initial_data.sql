-- PromptCraft Forge, 08_initial_data.sql, "Seed data and initial setup": the document's
-- "Key Features" name 3 AI providers and 9 prompt frameworks. Rows are not part of what
-- schemaprobe checks (it checks structure); they are here so the example is complete.
-- URLs, display names and templates are this example's placeholders.

INSERT INTO public.api_providers (name, display_name, base_url) VALUES
    ('openai', 'OpenAI', 'https://api.openai.com/v1'),
    ('gemini', 'Gemini', 'https://generativelanguage.googleapis.com/v1beta'),
    ('anthropic', 'Anthropic', 'https://api.anthropic.com/v1')
ON CONFLICT (name) DO NOTHING;

INSERT INTO public.prompt_frameworks (name, display_name, description, components, template, sort_order)
SELECT f.name, f.display_name, f.display_name || ' prompt framework',
       to_jsonb(string_to_array(replace(f.display_name, '.', ' '), ' ')),
       '{input}', f.sort_order
  FROM (VALUES ('roses', 'R.O.S.E.S', 1), ('ape', 'A.P.E', 2), ('tag', 'T.A.G', 3),
               ('era', 'E.R.A', 4), ('race', 'R.A.C.E', 5), ('rise', 'R.I.S.E', 6),
               ('care', 'C.A.R.E', 7), ('coast', 'C.O.A.S.T', 8), ('trace', 'T.R.A.C.E', 9))
       AS f(name, display_name, sort_order)
ON CONFLICT (name) DO NOTHING;
