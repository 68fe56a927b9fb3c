-- Level history (package level): one row per market, creator and month (LVL-3). month is the
-- month's first day.
CREATE TABLE affrules_levels (
    market  text     NOT NULL,
    creator text     NOT NULL,
    month   date     NOT NULL CHECK (extract(day FROM month) = 1),
    level   smallint NOT NULL CHECK (level BETWEEN 0 AND 8),
    PRIMARY KEY (market, creator, month)
);
