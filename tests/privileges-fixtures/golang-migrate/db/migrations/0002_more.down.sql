DROP TABLE app.sessions;
DROP FUNCTION app.touch();
ALTER TABLE app.users DROP COLUMN status;
DROP TYPE app.status;
