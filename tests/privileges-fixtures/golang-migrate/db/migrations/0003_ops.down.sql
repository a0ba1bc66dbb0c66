DROP TABLE app.later;
