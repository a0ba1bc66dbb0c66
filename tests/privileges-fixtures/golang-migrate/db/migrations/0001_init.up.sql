-- the application's schema and its roles
CREATE EXTENSION IF NOT EXISTS citext;
CREATE SCHEMA app;
CREATE TABLE app.users (
  id serial PRIMARY KEY,
  email citext NOT NULL UNIQUE
);
CREATE TABLE public.accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id int NOT NULL REFERENCES app.users (id)
);
CREATE ROLE app_reader NOLOGIN;
CREATE ROLE app_owner NOLOGIN;
GRANT USAGE ON SCHEMA app TO app_reader;
GRANT SELECT ON app.users TO app_reader;
CREATE TABLE app.audit (at timestamptz DEFAULT now(), what text);
GRANT CREATE ON SCHEMA app TO app_owner;
ALTER TABLE app.audit OWNER TO app_owner;
