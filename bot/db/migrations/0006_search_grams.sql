-- Search in Korean, Japanese and Chinese: these are written without spaces between words (Japanese,
-- Chinese) or with particles attached to them (Korean), so their names are indexed as overlapping
-- character pairs: "北朝鮮の核実験" as 北朝 朝鮮 鮮の の核 核実 実験 (a lone character as itself). The bot
-- writes a fact's pairs with the fact (bot.core.folding.cjk_grams over its title and aliases); this
-- migration fills them once for the facts already stored, with the same character ranges (and can run
-- again over a database taken back to an older schema version).
CREATE VIRTUAL TABLE IF NOT EXISTS facts_grams USING fts5 (grams, tokenize = "unicode61 remove_diacritics 0");

DELETE FROM facts_grams;
INSERT INTO facts_grams (rowid, grams)
WITH RECURSIVE
    names (rowid, t) AS (
        SELECT f.rowid, f.title || ' ' || (SELECT ifnull(group_concat(value, ' '), '') FROM json_each(f.aliases))
        FROM facts f),
    chars (rowid, t, i) AS (
        SELECT rowid, t, 1 FROM names WHERE t <> ''
        UNION ALL SELECT rowid, t, i + 1 FROM chars WHERE i < length(t)),
    marked (rowid, i, c, cjk) AS (
        SELECT rowid, i, substr(t, i, 1), (
            unicode(substr(t, i, 1)) BETWEEN 4352 AND 4607
            OR (unicode(substr(t, i, 1)) BETWEEN 12352 AND 12543 AND unicode(substr(t, i, 1)) <> 12539)
            OR unicode(substr(t, i, 1)) BETWEEN 12593 AND 12686
            OR unicode(substr(t, i, 1)) BETWEEN 12784 AND 12799
            OR unicode(substr(t, i, 1)) BETWEEN 13312 AND 19903
            OR unicode(substr(t, i, 1)) BETWEEN 19968 AND 40959
            OR unicode(substr(t, i, 1)) BETWEEN 44032 AND 55203
            OR unicode(substr(t, i, 1)) BETWEEN 63744 AND 64255)
        FROM chars),
    neighbours (rowid, i, c, cjk, prev_c, prev_cjk, next_c, next_cjk) AS (
        SELECT rowid, i, c, cjk,
            lag(c) OVER w, ifnull(lag(cjk) OVER w, 0), lead(c) OVER w, ifnull(lead(cjk) OVER w, 0)
        FROM marked WINDOW w AS (PARTITION BY rowid ORDER BY i)),
    grams (rowid, gram) AS (
        SELECT rowid, c || next_c FROM neighbours WHERE cjk AND next_cjk
        UNION ALL SELECT rowid, c FROM neighbours WHERE cjk AND NOT prev_cjk AND NOT next_cjk)
SELECT rowid, group_concat(DISTINCT gram) FROM grams GROUP BY rowid;

CREATE TRIGGER IF NOT EXISTS facts_grams_delete AFTER DELETE ON facts BEGIN
    DELETE FROM facts_grams WHERE rowid = old.rowid;
END;

-- How many facts hold each indexed word: search tells a word of the record from one it never uses.
CREATE VIRTUAL TABLE IF NOT EXISTS facts_fts_terms USING fts5vocab ('facts_fts', 'row');

-- Autocomplete names now keep Hangul, kana and kanji (they were dropped before): rebuild them.
DELETE FROM fact_names;
INSERT INTO fact_names (name, fact_id, kind)
    SELECT name, fact_id, min(kind) FROM (
        SELECT name_key(title) AS name, id AS fact_id, 0 AS kind FROM facts
        UNION ALL SELECT name_key(aliases.value), facts.id, 1 FROM facts, json_each(facts.aliases) AS aliases
        UNION ALL SELECT name_key(id), id, 2 FROM facts)
    WHERE name <> ''
    GROUP BY name, fact_id;
