-- The classes and true flags each fact's figures name, one row each ('class:ICBM', 'flag:overflew_japan'):
-- "how many ICBM launches" or "launches over Japan" in a store of 100,000 facts find their launches here
-- instead of reading every launch's figures. Triggers keep it with the facts, as fact_systems (0011); the
-- facts already stored are filled at the end. Idempotent, like 0006 to 0011.
CREATE TABLE IF NOT EXISTS fact_figure_terms (
    term       TEXT NOT NULL,
    fact_rowid INTEGER NOT NULL,
    PRIMARY KEY (term, fact_rowid)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS fact_figure_terms_by_fact ON fact_figure_terms (fact_rowid);

CREATE TRIGGER IF NOT EXISTS fact_figure_terms_insert AFTER INSERT ON facts BEGIN
    INSERT OR IGNORE INTO fact_figure_terms (term, fact_rowid)
        SELECT 'class:' || value, new.rowid FROM json_each(new.figures, '$.system_classes') WHERE type = 'text';
    INSERT OR IGNORE INTO fact_figure_terms (term, fact_rowid)
        SELECT 'flag:' || key, new.rowid FROM json_each(new.figures) WHERE type = 'true';
END;

CREATE TRIGGER IF NOT EXISTS fact_figure_terms_update AFTER UPDATE OF figures ON facts BEGIN
    DELETE FROM fact_figure_terms WHERE fact_rowid = old.rowid;
    INSERT OR IGNORE INTO fact_figure_terms (term, fact_rowid)
        SELECT 'class:' || value, new.rowid FROM json_each(new.figures, '$.system_classes') WHERE type = 'text';
    INSERT OR IGNORE INTO fact_figure_terms (term, fact_rowid)
        SELECT 'flag:' || key, new.rowid FROM json_each(new.figures) WHERE type = 'true';
END;

CREATE TRIGGER IF NOT EXISTS fact_figure_terms_delete AFTER DELETE ON facts BEGIN
    DELETE FROM fact_figure_terms WHERE fact_rowid = old.rowid;
END;

DELETE FROM fact_figure_terms;
INSERT OR IGNORE INTO fact_figure_terms (term, fact_rowid)
    SELECT 'class:' || c.value, f.rowid FROM facts f, json_each(f.figures, '$.system_classes') AS c
    WHERE c.type = 'text';
INSERT OR IGNORE INTO fact_figure_terms (term, fact_rowid)
    SELECT 'flag:' || t.key, f.rowid FROM facts f, json_each(f.figures) AS t WHERE t.type = 'true';
