DROP TABLE orders; ALTER TABLE accounts DROP COLUMN note;
