package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/invitation"
)

// invitations is the [invitation.Ledger] [Invitations] returns.
type invitations struct {
	pool *pgxpool.Pool
}

// Invitations returns the [invitation.Ledger] kept in pool's database, which [Migrate] has
// prepared: a row per account, locked while a reservation reads the account's usage and records
// an invitation, and a row per invitation. It has no lateness or lead bound: it holds every
// invitation, so it answers exactly at any instant of the years 1900–2199, in any order, and
// never returns an error wrapping [invitation.ErrTooLate] or [invitation.ErrTooFarAhead].
func Invitations(pool *pgxpool.Pool) invitation.Ledger { return &invitations{pool: pool} }

// invPkg prefixes the errors the ledger reports as package invitation's own.
const invPkg = "invitation"

// errRefused ends the transaction of a refused reservation, recording nothing.
var errRefused = errors.New("postgres: invitation refused")

// maxNextSteps bounds the steps of the search for a refusal's NextAllowed; each step passes a
// full day or a creator's window, so only an account with thousands of full days or invitations
// of the creator back to back could need more.
const maxNextSteps = 10_000

// Reserve implements [invitation.Ledger.Reserve]. In one transaction it creates or locks the
// account's row, reads the count of the instant's own calendar day and the creator's latest
// invitation less than the repeat window before or after the instant, decides with
// [invitation.Quota.Check] and records an admitted invitation with the account's next number.
// A refusal's NextAllowed is the first instant after at that the recorded invitations allow:
// past every full day and every window of the creator's invitations it meets, as Check computes
// it over the days and invitations it is given.
func (s *invitations) Reserve(ctx context.Context, q invitation.Quota, a invitation.Account, inv invitation.Invitation, at time.Time) (invitation.Record, affrules.Decision, error) {
	if err := usable(ctx, s.pool); err != nil {
		return invitation.Record{}, affrules.Decision{}, fmt.Errorf("%s: reserve: %w", invPkg, err)
	}
	if err := q.Validate(); err != nil {
		return invitation.Record{}, affrules.Decision{}, err
	}
	if !bounds.IDOK(a.ID) || !bounds.IDOK(inv.CreatorID) {
		return invitation.Record{}, affrules.Decision{}, errors.Join(bounds.ID(invPkg, "account.id", a.ID), bounds.ID(invPkg, "invitation.creator_id", inv.CreatorID))
	}
	if err := bounds.Instant(invPkg, "at", at); err != nil {
		return invitation.Record{}, affrules.Decision{}, err
	}
	mk, err := affrules.LookupMarket(a.HomeMarket)
	if err != nil {
		return invitation.Record{}, affrules.Decision{}, fielderr.New(invPkg, "account.home_market", strconv.Quote(string(a.HomeMarket)), "%w", affrules.ErrUnknownMarket)
	}
	if inv.Showcase.IsZero() {
		inv.Showcase = nil // shows nothing: stored and returned as nil
	}
	if err := storable(a.ID, inv); err != nil {
		return invitation.Record{}, affrules.Decision{}, err
	}
	data, err := encode(inv)
	if err != nil {
		return invitation.Record{}, affrules.Decision{}, fmt.Errorf("postgres: encode invitation: %w", err)
	}
	home := mk.Location()
	now := at.UnixNano()
	window := int64(q.RepeatWindowDays) * int64(24*time.Hour)
	var (
		rec    invitation.Record
		d      affrules.Decision
		domain bool // the error, if any, is the rules', not the database's
	)
	err = inTx(ctx, s.pool, func(tx pgx.Tx) error {
		rec, d, domain = invitation.Record{}, affrules.Decision{}, false
		var (
			stored string
			seq    int64
		)
		err := tx.QueryRow(ctx, `INSERT INTO affrules_invitation_accounts AS x (account, home) VALUES ($1, $2)
			ON CONFLICT (account) DO UPDATE SET account = x.account RETURNING x.home, x.seq`,
			a.ID, string(a.HomeMarket)).Scan(&stored, &seq)
		if err != nil {
			return err
		}
		if stored != string(a.HomeMarket) {
			domain = true
			return fielderr.New(invPkg, "account.home_market", strconv.Quote(string(a.HomeMarket)), "differs from %s, the home market recorded for account %s", stored, a.ID)
		}
		day := q.Day(home, at) // the home market's, unless the quota names a zone (INV-2)
		count, last, found, err := usage(ctx, tx, a.ID, inv.CreatorID, day, now, window)
		if err != nil {
			return err
		}
		u := invitation.Usage{Day: day, Count: count}
		if found {
			u.Last = time.Unix(0, last)
		}
		var cerr error
		if d, _, cerr = q.Check(home, u, at); cerr != nil {
			domain = true
			return cerr
		}
		if !d.Allowed {
			next, err := nextAllowed(ctx, tx, q, home, a.ID, inv.CreatorID, now, window)
			if err != nil {
				return err
			}
			d.NextAllowed = bounds.Next(time.Unix(0, next).In(home))
			return errRefused
		}
		seq++
		if _, err := tx.Exec(ctx, `UPDATE affrules_invitation_accounts SET seq = $2 WHERE account = $1`, a.ID, seq); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO affrules_invitations (account, seq, at, at_ns, creator, username, nickname, market, purpose, data)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			a.ID, seq, at, now, inv.CreatorID, inv.Username, inv.Nickname, string(inv.Market), string(inv.Purpose), data)
		if err != nil {
			return err
		}
		rec = invitation.Record{Account: a.ID, Seq: seq, At: time.Unix(0, now).In(home), Invitation: inv}
		return nil
	})
	switch {
	case errors.Is(err, errRefused):
		return invitation.Record{}, d, nil
	case err != nil && domain:
		return invitation.Record{}, affrules.Decision{}, err
	case err != nil:
		return invitation.Record{}, affrules.Decision{}, fmt.Errorf("%s: reserve for account %s: postgres: %w", invPkg, quoted(a.ID), err)
	}
	rec.Invitation = copyInvitation(inv)
	return rec, d, nil
}

// usage returns the count of account's invitations in day and the latest instant at which it
// invited creator less than window before or after instant now (INV-2, INV-3), all in Unix
// nanoseconds; found is false when there is none or window is 0.
func usage(ctx context.Context, tx pgx.Tx, account, creator string, day affrules.Period, now, window int64) (count int, last int64, found bool, err error) {
	var l *int64
	err = tx.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM affrules_invitations WHERE account = $1 AND at_ns >= $3::bigint AND at_ns < $4::bigint),
			(SELECT max(at_ns) FROM affrules_invitations WHERE account = $1 AND creator = $2 AND $6::bigint > 0 AND at_ns > $5::bigint - $6::bigint AND at_ns < $5::bigint + $6::bigint)`,
		account, creator, day.Start.UnixNano(), day.End.UnixNano(), now, window).Scan(&count, &l)
	if err != nil || l == nil {
		return count, 0, false, err
	}
	return count, *l, true, nil
}

// nextAllowed returns the first instant after now, in Unix nanoseconds, at which q admits
// account inviting creator over the invitations recorded: the day it falls in is below the
// daily limit and the creator was invited less than window before or after it never. From now,
// it passes the end of a full day or the end of the window of the creator's latest invitation
// near it, until neither holds.
func nextAllowed(ctx context.Context, tx pgx.Tx, q invitation.Quota, home *time.Location, account, creator string, now, window int64) (int64, error) {
	t := now
	for range maxNextSteps {
		day := q.Day(home, time.Unix(0, t))
		count, last, found, err := usage(ctx, tx, account, creator, day, t, window)
		if err != nil {
			return 0, err
		}
		switch {
		case count >= q.DailyLimit:
			t = day.End.UnixNano()
		case found:
			t = last + window
		default:
			return t, nil
		}
	}
	return 0, fmt.Errorf("no instant allowed within %d full days and windows after %s", maxNextSteps, time.Unix(0, now).In(home).Format(time.RFC3339Nano))
}

// storable returns an error for strings a PostgreSQL text or jsonb value cannot hold exactly:
// invalid UTF-8, which JSON would replace, and the NUL character, which neither type takes.
func storable(account string, inv invitation.Invitation) error {
	fields := []struct{ name, value string }{
		{"account.id", account}, {"invitation.creator_id", inv.CreatorID}, {"invitation.username", inv.Username},
		{"invitation.nickname", inv.Nickname}, {"invitation.market", string(inv.Market)}, {"invitation.purpose", string(inv.Purpose)},
		{"invitation.message", inv.Message},
	}
	for i, c := range inv.Contacts {
		fields = append(fields, struct{ name, value string }{fmt.Sprintf("invitation.contacts[%d].channel", i), string(c.Channel)},
			struct{ name, value string }{fmt.Sprintf("invitation.contacts[%d].value", i), c.Value})
	}
	if sc := inv.Showcase; sc != nil {
		fields = append(fields, struct{ name, value string }{"invitation.showcase.company.name", sc.Company.Name},
			struct{ name, value string }{"invitation.showcase.company.category", sc.Company.Category},
			struct{ name, value string }{"invitation.showcase.company.introduction", sc.Company.Introduction},
			struct{ name, value string }{"invitation.showcase.company.address", sc.Company.Address})
		for i, c := range sc.TopCreators {
			fields = append(fields, struct{ name, value string }{fmt.Sprintf("invitation.showcase.top_creators[%d].id", i), c.ID},
				struct{ name, value string }{fmt.Sprintf("invitation.showcase.top_creators[%d].username", i), c.Username})
		}
		for i, v := range sc.Company.Services {
			fields = append(fields, struct{ name, value string }{fmt.Sprintf("invitation.showcase.company.services[%d]", i), v})
		}
	}
	l := fielderr.For(invPkg)
	for _, f := range fields {
		if !utf8.ValidString(f.value) || strings.ContainsRune(f.value, 0) {
			l.Add(f.name, strconv.Quote(f.value), "must be valid UTF-8 without NUL characters to be stored")
		}
	}
	return l.Err()
}

// copyInvitation returns inv with slices and a showcase of its own, so that a record handed out
// shares none with the caller.
func copyInvitation(inv invitation.Invitation) invitation.Invitation {
	if inv.Contacts != nil {
		inv.Contacts = append([]invitation.Contact(nil), inv.Contacts...)
	}
	if sc := inv.Showcase; sc != nil {
		c := *sc
		if c.TopCreators != nil {
			c.TopCreators = append([]invitation.LinkedCreator(nil), c.TopCreators...)
		}
		if c.Company.Services != nil {
			c.Company.Services = append([]string(nil), c.Company.Services...)
		}
		inv.Showcase = &c
	}
	return inv
}

// History implements [invitation.Ledger.History]. The conditions SQL decides exactly (account,
// purpose, market, time range in nanoseconds and, without LatestPerCreator, the cursor) select
// the rows, newest first; the search, the newest per creator and the cursor are then applied as
// [invitation.Memory] applies them, with [invitation.Query.Matches], reading rows only until the
// page and the one record that shows another page follows.
func (s *invitations) History(ctx context.Context, q invitation.Query) (invitation.Page, error) {
	if err := usable(ctx, s.pool); err != nil {
		return invitation.Page{}, fmt.Errorf("%s: history: %w", invPkg, err)
	}
	if err := q.Validate(); err != nil {
		return invitation.Page{}, err
	}
	if !textOK(q.Account) {
		return invitation.Page{}, nil // nothing stored has such an account
	}
	limit := q.PageSize()
	var page invitation.Page
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		page = invitation.Page{}
		var code string
		err := tx.QueryRow(ctx, `SELECT home FROM affrules_invitation_accounts WHERE account = $1`, q.Account).Scan(&code)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		home, err := zoneOf(code)
		if err != nil {
			return err
		}
		sql := `SELECT seq, at_ns, interested_ns, data FROM affrules_invitations WHERE account = $1`
		args := []any{q.Account}
		cond := func(c string, v any) {
			args = append(args, v)
			sql += fmt.Sprintf(" AND %s $%d", c, len(args))
		}
		if q.Purpose != "" {
			cond("purpose =", string(q.Purpose))
		}
		if q.Market != "" {
			cond("market =", string(q.Market))
		}
		// Instants are stored as Unix nanoseconds, all within the years 1900–2199: a bound
		// beyond them (year 9999 for "no upper bound"), whose nanoseconds would overflow, is the
		// nearest instant of those years, which selects the same rows.
		if !q.From.IsZero() {
			cond("at_ns >=", clampNano(q.From))
		}
		if !q.To.IsZero() {
			cond("at_ns <", clampNano(q.To))
		}
		if q.Before != 0 && !q.LatestPerCreator {
			cond("seq <", q.Before)
		}
		rows, err := tx.Query(ctx, sql+" ORDER BY seq DESC", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var seen map[string]bool
		if q.LatestPerCreator {
			seen = make(map[string]bool)
		}
		for rows.Next() {
			r, err := scanInvitation(rows, q.Account, home)
			if err != nil {
				return err
			}
			if !q.Matches(r) {
				continue
			}
			if seen != nil {
				if seen[r.CreatorID] {
					continue
				}
				seen[r.CreatorID] = true
			}
			if q.Before != 0 && r.Seq >= q.Before {
				continue
			}
			if len(page.Records) == limit {
				page.Next = page.Records[limit-1].Seq
				break
			}
			page.Records = append(page.Records, r)
		}
		rows.Close()
		return rows.Err()
	})
	if err != nil {
		return invitation.Page{}, fmt.Errorf("%s: history of account %s: postgres: %w", invPkg, quoted(q.Account), err)
	}
	return page, nil
}

// zoneOf returns the zone of the home market stored as code.
func zoneOf(code string) (*time.Location, error) {
	mk, err := affrules.LookupMarket(affrules.MarketCode(code))
	if err != nil {
		return nil, fmt.Errorf("stored home market %q: %w", code, err)
	}
	return mk.Location(), nil
}

// scanInvitation reads a row of seq, at_ns, interested_ns and data as account's record, its
// instants in zone home.
func scanInvitation(row pgx.Row, account string, home *time.Location) (invitation.Record, error) {
	var (
		seq, at    int64
		interested *int64
		data       []byte
	)
	if err := row.Scan(&seq, &at, &interested, &data); err != nil {
		return invitation.Record{}, err
	}
	r := invitation.Record{Account: account, Seq: seq, At: time.Unix(0, at).In(home)}
	if err := json.Unmarshal(data, &r.Invitation); err != nil {
		return invitation.Record{}, fmt.Errorf("decode invitation #%d: %w", seq, err)
	}
	if interested != nil {
		r.InterestedAt = time.Unix(0, *interested).In(home)
	}
	return r, nil
}

// Respond implements [invitation.Ledger.Respond]: it locks the invitation's row and records the
// answer unless one is recorded already.
func (s *invitations) Respond(ctx context.Context, account string, seq int64, at time.Time) (invitation.Record, error) {
	if err := usable(ctx, s.pool); err != nil {
		return invitation.Record{}, fmt.Errorf("%s: respond: %w", invPkg, err)
	}
	if err := bounds.Instant(invPkg, "at", at); err != nil {
		return invitation.Record{}, err
	}
	if !textOK(account) { // nothing stored has such an account
		return invitation.Record{}, fielderr.New(invPkg, "respond", fmt.Sprintf("account %q seq %d", account, seq), "%w", invitation.ErrNotFound)
	}
	var (
		rec    invitation.Record
		domain bool // the error, if any, is the ledger's own, not the database's
	)
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		rec, domain = invitation.Record{}, false
		var code string
		err := tx.QueryRow(ctx, `SELECT home FROM affrules_invitation_accounts WHERE account = $1`, account).Scan(&code)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err == nil {
			home, err := zoneOf(code)
			if err != nil {
				return err
			}
			rec, err = scanInvitation(tx.QueryRow(ctx, `SELECT seq, at_ns, interested_ns, data FROM affrules_invitations
				WHERE account = $1 AND seq = $2 FOR UPDATE`, account, seq), account, home)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			if err == nil {
				if at.UnixNano() < rec.At.UnixNano() { // answered or not: no answer comes before the invitation
					domain = true
					return fielderr.New(invPkg, "respond.at", at.Format(time.RFC3339Nano), "is before the invitation was sent at %s", rec.At.Format(time.RFC3339Nano))
				}
				if rec.Interested() {
					return nil
				}
				rec.InterestedAt = time.Unix(0, at.UnixNano()).In(home)
				_, err := tx.Exec(ctx, `UPDATE affrules_invitations SET interested_at = $3, interested_ns = $4 WHERE account = $1 AND seq = $2`,
					account, seq, at, at.UnixNano())
				return err
			}
		}
		domain = true
		return fielderr.New(invPkg, "respond", fmt.Sprintf("account %q seq %d", account, seq), "%w", invitation.ErrNotFound)
	})
	if err != nil {
		if domain {
			return invitation.Record{}, err
		}
		return invitation.Record{}, fmt.Errorf("%s: respond to invitation #%d of account %s: postgres: %w", invPkg, seq, quoted(account), err)
	}
	return rec, nil
}

// clampNano returns t in Unix nanoseconds, t clamped to the years 1900–2199 that stored instants
// lie within ([bounds.MinInstant], [bounds.MaxInstant]).
func clampNano(t time.Time) int64 {
	switch {
	case t.Before(bounds.MinInstant):
		return bounds.MinInstant.UnixNano()
	case !t.Before(bounds.MaxInstant):
		return bounds.MaxInstant.UnixNano()
	}
	return t.UnixNano()
}
