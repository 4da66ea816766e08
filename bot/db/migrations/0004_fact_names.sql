-- Autocomplete by name: every fact's title, aliases and id as folded words ("Hwasŏng-15 test" is stored
-- as "hwasong 15 test"), so what someone types is a range of this index however many facts there are.
-- `kind` ranks what was matched: 0 a title, 1 an alias, 2 an id (a name both title and alias is kept as
-- the title). The bot writes these rows with the fact (fact_rows.write_children); name_key() is
-- registered by the bot on every connection (bot.folding.name_key) and is used here only to fill the
-- table once.
CREATE TABLE fact_names (
    name    TEXT NOT NULL,
    fact_id TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
    kind    INTEGER NOT NULL CHECK (kind IN (0, 1, 2)),
    PRIMARY KEY (name, fact_id)
) WITHOUT ROWID;

CREATE INDEX fact_names_by_kind ON fact_names (kind, name);
CREATE INDEX fact_names_by_fact ON fact_names (fact_id);

INSERT INTO fact_names (name, fact_id, kind)
    SELECT name, fact_id, min(kind) FROM (
        SELECT name_key(title) AS name, id AS fact_id, 0 AS kind FROM facts
        UNION ALL SELECT name_key(aliases.value), facts.id, 1 FROM facts, json_each(facts.aliases) AS aliases
        UNION ALL SELECT name_key(id), id, 2 FROM facts)
    WHERE name <> ''
    GROUP BY name, fact_id;
