-- Campaigns (package campaign): one row per campaign, the campaign as JSON, with the columns a
-- host filters on.
CREATE TABLE affrules_campaigns (
    id      text        PRIMARY KEY,
    market  text        NOT NULL,
    created timestamptz NOT NULL,
    updated timestamptz NOT NULL,
    data    jsonb       NOT NULL
);
CREATE INDEX affrules_campaigns_market ON affrules_campaigns (market, id);

-- Collaboration Plus (package collabplus): one row per seller record (groups, blocklist,
-- creation log, collaborations), the record as JSON.
CREATE TABLE affrules_collab_sellers (
    id      text        PRIMARY KEY,
    market  text        NOT NULL,
    updated timestamptz NOT NULL,
    data    jsonb       NOT NULL
);

-- Samples (package sample): one row per request, the request with its events as JSON. seq
-- keeps the order requests were recorded in.
CREATE TABLE affrules_sample_requests (
    seq     bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    id      text        PRIMARY KEY,
    creator text        NOT NULL,
    seller  text        NOT NULL,
    product text        NOT NULL,
    market  text        NOT NULL,
    source  text        NOT NULL,
    context text        NOT NULL,
    asked   timestamptz NOT NULL,
    data    jsonb       NOT NULL
);
CREATE INDEX affrules_sample_requests_creator ON affrules_sample_requests (creator, seq);

-- One row per creator who made a request: the row a ledger locks while it reads the creator's
-- requests and records one (SMP-7, SMP-10, SMP-11, SMP-3).
CREATE TABLE affrules_sample_creators (
    creator text PRIMARY KEY
);

-- Requests of a partner campaign approved automatically, per seller, campaign, product and
-- market (SMP-2): the counter a ledger locks while it decides a campaign request.
CREATE TABLE affrules_sample_quantities (
    seller  text   NOT NULL,
    context text   NOT NULL,
    product text   NOT NULL,
    market  text   NOT NULL,
    auto    bigint NOT NULL DEFAULT 0 CHECK (auto >= 0),
    PRIMARY KEY (seller, context, product, market)
);
