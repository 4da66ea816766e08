-- A number that changes whenever a fact is added, changed or removed, by this bot or by another process
-- (the command line's `facts import`): caches of what the facts say compare it (Database.facts_version)
-- instead of reading the facts, and other writes (quiz answers, drafts) leave it alone.
INSERT OR IGNORE INTO store_meta (key, value) VALUES ('facts_version', '0');

CREATE TRIGGER facts_version_on_insert AFTER INSERT ON facts BEGIN
    UPDATE store_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'facts_version';
END;

CREATE TRIGGER facts_version_on_update AFTER UPDATE ON facts BEGIN
    UPDATE store_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'facts_version';
END;

CREATE TRIGGER facts_version_on_delete AFTER DELETE ON facts BEGIN
    UPDATE store_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'facts_version';
END;
