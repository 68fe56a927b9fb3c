-- Level history (package level): one row per market, creator and month (LVL-3). month is the
-- month's first day.
CREATE TABLE affrules_levels (
    market  text     NOT NULL,
    creator text     NOT NULL,
    month   date     NOT NULL CHECK (extract(day FROM month) = 1),
    level   smallint NOT NULL CHECK (level BETWEEN 0 AND 8),
    PRIMARY KEY (market, creator, month)
);

-- Commission offers (package commission): one row per offer, the offer (coverage, period, rate
-- history) as JSON, beside the columns a host looks offers up by. At most one OPEN offer per
-- market and product (COM-10, COM-11).
CREATE TABLE affrules_offers (
    id      text        PRIMARY KEY,
    market  text        NOT NULL,
    product text        NOT NULL,
    source  text        NOT NULL,
    starts  timestamptz NOT NULL,
    ends    timestamptz,            -- NULL: no end
    data    jsonb       NOT NULL
);
CREATE INDEX affrules_offers_product ON affrules_offers (market, product);
CREATE UNIQUE INDEX affrules_offers_one_open ON affrules_offers (market, product) WHERE source = 'OPEN';

-- One row per market and product an offer was stored for: the row a store locks while it checks
-- and stores an offer of that product, so the one-OPEN-offer check sees every offer committed.
CREATE TABLE affrules_offer_products (
    market  text NOT NULL,
    product text NOT NULL,
    PRIMARY KEY (market, product)
);

-- Commission records (package commission): one row per order line's record, the record with its
-- events as JSON, beside columns a host reads with SQL: state, instants, and the money in the
-- record's currency as numeric, kept equal to the JSON's by every write.
CREATE TABLE affrules_commission_records (
    id         text        PRIMARY KEY,
    market     text        NOT NULL,
    creator    text        NOT NULL,
    offer      text        NOT NULL,
    source     text        NOT NULL,
    state      text        NOT NULL,
    currency   text        NOT NULL,
    earned     numeric     NOT NULL CHECK (earned >= 0),
    refunded   numeric     NOT NULL CHECK (refunded >= 0),
    amount     numeric     NOT NULL CHECK (amount >= 0),
    partner    numeric     NOT NULL CHECK (partner >= 0),
    creator_amount numeric NOT NULL CHECK (creator_amount >= 0),
    ordered_at timestamptz NOT NULL,
    due_at     timestamptz NOT NULL,
    closed_at  timestamptz,            -- NULL while pending
    data       jsonb       NOT NULL
);
CREATE INDEX affrules_commission_records_due ON affrules_commission_records (state, due_at);
CREATE INDEX affrules_commission_records_creator ON affrules_commission_records (creator, ordered_at);
