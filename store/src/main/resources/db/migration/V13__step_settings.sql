-- What each step's settings were after templating (the URL an http step actually called), kept for the task page and
-- the steps API. Credentials are not in it: nodes resolve them by name outside the settings. Older steps have NULL.
ALTER TABLE steps ADD COLUMN rendered_settings TEXT;
