-- Autocomplete by name: every fact's title, aliases and id as folded words ("Hwasŏng-15 test" is stored
-- as "hwasong 15 test"), so what someone types is a range of this index however many facts there are.
-- The bot writes these rows with the fact (fact_rows.write_children); name_key() is registered by the
-- bot on every connection (bot.folding.name_key) and is used here only to fill the table once.
CREATE TABLE fact_names (
    name    TEXT NOT NULL,
    fact_id TEXT NOT NULL REFERENCES facts (id) ON DELETE CASCADE,
    PRIMARY KEY (name, fact_id)
) WITHOUT ROWID;

CREATE INDEX fact_names_by_fact ON fact_names (fact_id);

INSERT OR IGNORE INTO fact_names (name, fact_id)
    SELECT name_key(title), id FROM facts
    UNION SELECT name_key(aliases.value), facts.id FROM facts, json_each(facts.aliases) AS aliases
    UNION SELECT name_key(id), id FROM facts;

DELETE FROM fact_names WHERE name = '';
