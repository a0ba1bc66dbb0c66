-- Read-only role for the BI tool.
CREATE ROLE reporting LOGIN PASSWORD 'Rep0rting-2024!' CONNECTION LIMIT 5;
GRANT USAGE ON SCHEMA public TO reporting;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reporting;

-- "Temporary" convenience for the data team.
GRANT ALL ON TABLE public.users TO PUBLIC;

CREATE FUNCTION public.purge_sessions() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
  EXECUTE 'DELETE FROM ' || quote_ident(current_setting('app.sessions_table'));
END
$$;
