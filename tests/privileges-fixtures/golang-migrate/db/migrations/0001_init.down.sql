DROP TABLE app.audit;
DROP ROLE app_owner;
DROP ROLE app_reader;
DROP TABLE public.accounts;
DROP TABLE app.users;
DROP SCHEMA app;
