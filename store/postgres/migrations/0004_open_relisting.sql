-- A product removed from Open Collaboration may be listed again (CMP-7), at a lower rate only
-- once the decrease delay has passed: a market and product hold one OPEN offer at a time, not
-- one ever. The put that
-- stores an offer locks the product's row and checks the rule (commission.OfferRule.Conflicts)
-- against every offer committed, so the unique index of one OPEN offer per product goes.
DROP INDEX IF EXISTS affrules_offers_one_open;
