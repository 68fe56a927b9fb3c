// Package postgres keeps the storage interfaces of affrules' domain packages in a PostgreSQL
// database shared by every instance of a host's service.
//
// The host owns a [pgxpool.Pool], calls [Migrate] once at start-up (every instance may: it is
// idempotent and safe to run at once), and builds one adapter per interface:
//
//	[Campaigns]       a campaign.Store
//	[Collaborations]  a collabplus.Store
//	[Samples]         a sample.Ledger
//	[Offers]          a commission.OfferStore
//	[Records]         a commission.RecordStore
//	[Levels]          a level.History
//
// The tables live in the first schema of the connections' search_path, so one database can
// hold several independent stores, one per schema.
//
// # Design
//
// Each adapter gives exactly the answers of the domain package's in-memory store: the rule is
// still the domain's pure function (campaign.Evaluator.Apply, collabplus.Evaluator.Apply,
// sample.Rule.Decide and sample.Rule.Record, commission.OfferRule.Check,
// commission.Settlement.Check and commission.Settlement.Apply, level.Record.Validate), called
// inside a transaction that first locks the rows it reads with SELECT … FOR UPDATE (or an
// INSERT … ON CONFLICT DO UPDATE that creates and locks a row at once), then writes the
// result. A rule's "no" or error rolls the transaction back, so it stores nothing. A
// transaction failing with a serialization failure (SQLSTATE 40001) or a deadlock (40P01), or
// whose insert meets a row another transaction committed after it looked for one, is run
// again, five times at most, and the last failure is then reported. Errors a store reports for
// a missing or repeated ID wrap the domain package's ErrNotFound and ErrConflict, as the
// in-memory stores' do.
//
// A campaign, a Collaboration Plus seller record, a commission offer and a commission record
// are aggregates: every rule reads and changes the whole of one (a campaign's registrations, a
// seller's groups, blocklist, creation log and collaborations, an offer's coverage, period and
// rate history, a record's amounts and the events applied to it), and never two at once. Each
// is therefore one row, the aggregate as jsonb (the domain types marshal to JSON and back
// exactly: money as whole minor units or decimal strings and rates as decimal strings, never
// floats; instants in RFC 3339 with nanoseconds), beside indexed key columns (ID, market,
// product, source, state, instants as timestamptz) for lookups and for reading the data with
// SQL. Where such a column holds money, as a commission record's earned, refunded and remaining
// amounts do, it is numeric with the currency's minor-unit places, written from the same record
// as the jsonb in the same statement. Locking that row serialises the changes to one aggregate
// and leaves the others free; splitting an aggregate into normalised tables would only add
// joins to rebuild what each rule needs whole. A level is no aggregate: it is one smallint per
// market, creator and month (the month's first day, a date), stored by one upsert.
//
// An offer's rule also looks beyond the offer: a second OPEN offer of its market and product
// is refused (COM-10, COM-11). A put therefore locks a row per market and product first, then
// the offer's row, so that two puts of one product wait for each other and the check sees
// every offer committed; a unique partial index on the OPEN offers' market and product holds
// the rule in the database too. A commission record's Create inserts with ON CONFLICT DO
// NOTHING, which waits for a concurrent insert of the same ID, and then compares the stored
// record as commission.RecordMemory does.
//
// A sample request is a row of its own, but the [sample.History] its decision needs spans the
// creator's requests (the open request and the wait per product, the monthly cap, the samples
// per Collaboration Plus) and, for a campaign request, how many of that product's requests the
// campaign approved automatically, across creators. A request locks the creator's row, then
// the counter row of the (seller, campaign, product, market), always in that order; recording
// an event locks the creator's row, then the request's. Two requests of one creator, or two
// for the last units of one product, thus wait for each other, while other requests proceed.
//
// Schema changes are versioned SQL files embedded in the package and applied in order by
// [Migrate]; a database migrated by a newer version of this package is refused with a
// [*SchemaVersionError] rather than used.
package postgres
