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
//	[Invitations]     an invitation.Ledger
//
// The tables live in the first schema of the connections' search_path that exists (PostgreSQL's
// current_schema()), so one database can hold several independent stores, one per schema. A
// schema named first that does not exist is passed over: create it before [Migrate], or a
// misspelt name puts the store in the next schema of the path.
//
// # Design
//
// Each adapter gives exactly the answers of the domain package's in-memory store: the rule is
// still the domain's pure function (campaign.Evaluator.Apply, collabplus.Evaluator.Apply,
// sample.Rule.Decide and sample.Rule.Record, commission.OfferRule.Check,
// commission.Settlement.Check and commission.Settlement.Apply, level.Record.Validate,
// invitation.Quota.Check), called
// inside a transaction that first locks the rows it reads with SELECT … FOR UPDATE (or an
// INSERT … ON CONFLICT DO UPDATE that creates and locks a row at once), then writes the
// result. A rule's "no" or error rolls the transaction back, so it stores nothing. A
// transaction failing with a serialization failure (SQLSTATE 40001) or a deadlock (40P01), or
// whose insert meets a row another transaction committed after it looked for one, is run
// again, five times at most, and the last failure is then reported. Errors a store reports for
// a missing or repeated ID wrap the domain package's ErrNotFound and ErrConflict, as the
// in-memory stores' do.
//
// A campaign, a Collaboration Plus seller record, a commission offer and a commission record are
// aggregates: every rule reads and changes the whole of one (a campaign's registrations, a seller's
// groups, blocklist, creation log, collaborations and disqualification, an offer's coverage, period
// and rate history, a record's amounts and the events applied to it), and never two at once. Each
// is therefore one row, the aggregate as jsonb (the domain types marshal to JSON and back exactly:
// money as whole minor units or decimal strings and rates as decimal strings, never floats;
// instants in RFC 3339 with nanoseconds, in UTC when their zone's offset then had seconds, which
// RFC 3339 cannot write), beside indexed key columns (ID, market, product, source, state, instants
// as timestamptz) for lookups and for reading the data with SQL. Where such a column holds money,
// as a commission record's earned, refunded and remaining amounts do, it is numeric with the
// currency's minor-unit places, written from the same record as the jsonb in the same statement.
// Locking that row serialises the changes to one aggregate and leaves the others free; splitting an
// aggregate into normalised tables would only add joins to rebuild what each rule needs whole. A
// level is no aggregate: it is one smallint per market, creator and month (the month's first day, a
// date), stored by one upsert. The jsonb is read by the domain types' own decoding, so it follows
// them: a commission record's JSON must hold its "rounding" (commission.Record.UnmarshalJSON),
// which rows written by releases before that field existed lack; such a row is refused when read
// until its mode is added (for a database whose records were all opened under one mode: UPDATE
// affrules_commission_records SET data = data || '{"rounding": "half_up"}' WHERE NOT data ?
// 'rounding').
//
// An offer's rule also looks beyond the offer: a second OPEN offer of its market and product that
// conflicts with it is refused (commission.OfferRule.Conflicts: COM-10, COM-11, and a relisting
// within the decrease delay whose terms at its start pay less than the other still owes, CMP-7). A
// put therefore locks a row per market and product first, then the offer's row, so that two puts of
// one product wait for each other and the check sees every offer committed. A commission record's
// Create inserts with ON CONFLICT DO NOTHING, which waits for a concurrent insert of the same ID,
// and then compares the stored record as commission.RecordMemory does.
//
// A sample request is a row of its own, but the [sample.History] its decision needs spans the
// creator's requests (the open request and the wait per product, the monthly cap, the samples
// per Collaboration Plus) and, for a campaign request, how many of that product's requests the
// campaign approved automatically, across creators. A request locks the creator's row, then
// the counter row of the (seller, campaign, product, market), always in that order; recording
// an event locks the creator's row, then the request's. Two requests of one creator, or two
// for the last units of one product, thus wait for each other, while other requests proceed.
//
// An invitation is a row of its own, and an account has a row holding its home market and the
// last sequence number handed out. A reservation creates or locks the account's row (INSERT …
// ON CONFLICT DO UPDATE), counts the account's invitations in the instant's own calendar day
// (invitation.Quota.Day: of the home market, or of the zone the quota names, in whatever zone
// each call's quota names) and finds the creator's latest invitation less than the repeat window before
// or after the instant, calls invitation.Quota.Check with that usage, and inserts an admitted
// invitation with the next number: concurrent reservations of one account, in any process,
// wait for each other (INV-11), those of other accounts do not. Because the database holds
// every invitation, the ledger has no lateness or lead bound: any instant of the years
// 1900–2199 is judged exactly, however far behind or ahead of the others it is, and
// invitation.ErrTooLate and invitation.ErrTooFarAhead are never returned. A far-future instant
// from a clock bug takes one slot of its own day and one window of its creator, and nothing
// else. A refusal's NextAllowed is the first instant after the request's that the recorded
// invitations allow: from the instant, it passes the end of a full day or the end of the
// window of the creator's latest invitation less than the window away, step by step, until
// neither holds (a search of more than 10,000 steps is reported as an error); where
// invitation.Memory can answer (instants within its lateness bound) that is the instant Check
// returns. timestamptz keeps microseconds, so every instant is also stored as Unix nanoseconds
// (at_ns, interested_ns), and the ledger compares and returns those: answers and records are
// exact to the nanosecond, and the timestamptz columns are for reading with SQL. Records come
// back in the zone of the account's home market, as Memory's do. History selects rows by
// account, purpose, market, time range and cursor in SQL, newest first, and applies the search
// (invitation.Query.Matches, which folds case as Go does, not as the database's collation
// would) and the newest per creator as it reads them, stopping after the page; a time bound
// beyond the years 1900–2199 selects as the nearest instant of those years.
//
// Four differences from the in-memory stores are deliberate. An instant inside an aggregate stored
// as JSON (an offer, a record, a seller, a campaign, a sample request) comes back as the same
// instant (time.Time.Equal) at its offset, in a zone without a name (time.Local where its offset
// then is the same, UTC at offset zero), where Memory keeps the *time.Location it was given; every
// rule reads instants in the market's zone, so no answer changes, but a host's own calendar
// arithmetic on a returned instant should convert it to the zone it means first (invitation records
// come back in the account's home zone, as Memory's). An instant whose zone's offset had seconds
// (local mean time, before about 1924 in the markets' zones) comes back as the same instant in UTC:
// JSON writes offsets in minutes. And text that PostgreSQL cannot hold exactly (invalid UTF-8,
// which JSON would replace with U+FFFD, and the NUL character, which neither text nor jsonb takes),
// anywhere in what an adapter would store, is refused with a FieldError of the domain package
// naming the field ("commission: offer.creators[1] …"), before anything is written, where Memory
// keeps the bytes. A lookup by such a key finds nothing, as Memory's does (a level history's Get
// refuses a creator outside the storable form, as level.MemoryHistory's does). And a commission
// offer's ID or product, the host's text and a key of a database index, is refused over 2,048 bytes
// ("commission: offer.id 6000 bytes: must be at most 2048 bytes to be stored"), where OfferMemory
// takes any length.
//
// Schema changes are versioned SQL files embedded in the package and applied in order by
// [Migrate]; a database migrated by a newer version of this package is refused with a
// [*SchemaVersionError] rather than used.
package postgres
