CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
SET session_replication_role = replica;
INSERT INTO app.users (email) VALUES ('b@example.com');
SET session_replication_role = DEFAULT;
ALTER TABLE public.accounts DISABLE TRIGGER ALL;
ALTER TABLE public.accounts ENABLE TRIGGER ALL;
CREATE TABLE app.later (id int);
