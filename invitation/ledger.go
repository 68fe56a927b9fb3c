package invitation

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

// Ledger stores invitations and their quotas. Implementations must be safe for concurrent use,
// and [Ledger.Reserve] must be atomic across every process sharing the store (INV-11);
// package invitationtest checks an implementation.
type Ledger interface {
	// Reserve checks the quotas for account a inviting inv.CreatorID at instant at and, if they
	// allow it, records the invitation, in one atomic step: it reads the account's [Usage],
	// calls [Policy.Check] with the ledger's policy, and stores the usage Check returns together
	// with the new [Record]. A denial records nothing and returns a zero Record.
	//
	// Reserve does not check the input rules; call it through [Send], which does. It returns an
	// error, and records nothing, for a cancelled context, a failing store, an account without
	// ID or with an unknown home market, a home market other than the one the ledger already
	// knows for the account, an empty creator ID, or an instant outside the years 1700–2200.
	Reserve(ctx context.Context, a Account, inv Invitation, at time.Time) (Record, affrules.Decision, error)
	// History returns one page of an account's invitations (INV-9), newest first.
	History(ctx context.Context, q Query) (Page, error)
	// Respond records that the creator answered "interested" to the account's invitation seq at
	// instant at (INV-10) and returns the updated record. Answering again keeps the first answer.
	// An invitation the ledger does not hold is an error wrapping [ErrNotFound].
	Respond(ctx context.Context, account string, seq int64, at time.Time) (Record, error)
}

// Record is one recorded invitation.
type Record struct {
	Account string `json:"account"`
	// Seq numbers the account's invitations from 1 in the order they were recorded.
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Invitation `json:"invitation"`
	// InterestedAt is when the creator answered "interested" (INV-10); zero if not yet.
	InterestedAt time.Time `json:"interested_at,omitzero"`
}

// Interested reports whether the creator has answered "interested" (INV-10).
func (r Record) Interested() bool { return !r.InterestedAt.IsZero() }

// ContactsShown returns the account's contacts as shown to the creator: all of them once the
// creator has answered "interested", none before (INV-10).
func (r Record) ContactsShown() []Contact {
	if !r.Interested() {
		return nil
	}
	return r.Contacts
}

// Query selects invitations from an account's history (INV-9).
type Query struct {
	Account string `json:"account"` // required
	// Search matches records whose username or nickname contains it, ignoring case; "" matches
	// every record.
	Search string `json:"search,omitempty"`
	// From and To bound the invitation instant to [From, To); a zero bound leaves that side open.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// LatestPerCreator keeps, of the records matching the other conditions, only the newest for
	// each creator.
	LatestPerCreator bool `json:"latest_per_creator,omitempty"`
	// Before is a page cursor: only records with Seq below it; 0 starts at the newest record.
	Before int64 `json:"before,omitempty"`
	// Limit is the page size, 1 to 1000; 0 means 50.
	Limit int `json:"limit,omitempty"`
}

// Page is one page of history: records newest first (by Seq), and the cursor for the next page.
type Page struct {
	Records []Record `json:"records"`
	// Next is the Before of the following page, or 0 when this is the last.
	Next int64 `json:"next,omitempty"`
}

// Validate reports every problem of the query at once: a missing account, To before From, a
// negative cursor, a page size outside 0–1000.
func (q Query) Validate() error {
	var errs []error
	if q.Account == "" {
		errs = append(errs, affrules.Errorf(pkg, "query.account", "", "must not be empty"))
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		errs = append(errs, affrules.Errorf(pkg, "query.to", q.To.Format(time.RFC3339), "is before from %s: %w", q.From.Format(time.RFC3339), affrules.ErrInvertedPeriod))
	}
	if q.Before < 0 {
		errs = append(errs, affrules.Errorf(pkg, "query.before", q.Before, "%w", affrules.ErrNegative))
	}
	if q.Limit < 0 || q.Limit > 1000 {
		errs = append(errs, affrules.Errorf(pkg, "query.limit", q.Limit, "must be between 0 and 1000: %w", affrules.ErrOutOfRange))
	}
	return joinErrs(errs...)
}

// PageSize returns q.Limit, or 50 when it is 0.
func (q Query) PageSize() int {
	if q.Limit == 0 {
		return 50
	}
	return q.Limit
}

// Matches reports whether record r satisfies the query's account, search and time range (not its
// cursor or LatestPerCreator), for a [Ledger] implementation that filters in Go.
func (q Query) Matches(r Record) bool {
	if r.Account != q.Account {
		return false
	}
	if !q.From.IsZero() && r.At.Before(q.From) || !q.To.IsZero() && !r.At.Before(q.To) {
		return false
	}
	return q.Search == "" || containsFold(r.Username, q.Search) || containsFold(r.Nickname, q.Search)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// joinErrs joins errs like errors.Join, flattening joined errors so that every problem is one
// level deep.
func joinErrs(errs ...error) error {
	var flat []error
	for _, e := range errs {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			flat = append(flat, j.Unwrap()...)
		} else if e != nil {
			flat = append(flat, e)
		}
	}
	return errors.Join(flat...)
}

// Send is the whole of sending one invitation: it validates the input ([Validate]: INV-1, INV-5..7),
// checks that creator c is listed for the account (INV-8, by [eligibility.Listed]), then reserves
// the quotas and records the invitation in l (INV-2..4, INV-11).
//
// Bad input is an error and records nothing; so is a creator whose ID differs from
// inv.CreatorID. A creator who is not listed is a business "no": the decision carries an INV-8
// reason followed by each failing ELG-7 condition, nothing is recorded, and the ledger is not
// consulted, so the quotas are not reported (time alone will not make the creator invitable).
// Otherwise the decision is the ledger's. A resend (INV-9) is simply another Send, under the same
// quotas.
//
// Send and the ledger each use their own copy of the policy, for different rules: Send applies
// p's input rules (MaxWords, MaxSpacelessChars and Channels: INV-5, INV-6), the ledger applies
// the quota rules of the policy it was built with (DailyLimit and RepeatWindowDays: INV-2,
// INV-3); p's quota fields are not read. Pass the policy the ledger was built with, so that one
// policy document governs both halves. Send does not validate p: validate it once, with
// [Policy.Validate] or [ParsePolicy] ([NewMemory] does it for the ledger's copy).
func Send(ctx context.Context, l Ledger, p Policy, a Account, inv Invitation, c eligibility.Creator, at time.Time) (Record, affrules.Decision, error) {
	err := Validate(p, a, inv)
	if c.ID != inv.CreatorID {
		err = joinErrs(err, affrules.Errorf(pkg, "creator.id", strconv.Quote(c.ID), "does not match creator_id %q", inv.CreatorID))
	}
	if e := checkInstant(at); e != nil {
		err = joinErrs(err, e)
	}
	if err != nil {
		return Record{}, affrules.Decision{}, err
	}
	if listed := eligibility.Listed(c, a.ID); !listed.Allowed {
		reasons := append([]affrules.Reason{{
			Rule:     RuleListed,
			Observed: fmt.Sprintf("creator %s not listed for %s", c.ID, a.ID),
			Limit:    "listed in the Affiliate Marketplace (ELG-7)",
			Message:  "only creators listed in the Affiliate Marketplace can be invited",
		}}, listed.Failures()...)
		return Record{}, affrules.Decide(reasons...), nil
	}
	return l.Reserve(ctx, a, inv, at)
}
