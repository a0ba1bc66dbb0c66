ALTER TABLE users ADD COLUMN name VARCHAR(100);
CREATE VIEW user_names AS SELECT id, name FROM users;
CREATE USER 'reporting'@'%';
INSERT INTO users (email) VALUES ('a@example.com');
