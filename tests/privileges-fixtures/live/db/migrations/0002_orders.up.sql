-- accounts was made by the DBA before the migrations: altering it needs its ownership.
ALTER TABLE accounts ADD COLUMN note text;
CREATE TABLE orders (
  id serial PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users (id),
  account_id integer REFERENCES accounts (id)
);
