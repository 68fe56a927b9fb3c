package invitation

import (
	"context"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/ctxerr"
	"github.com/affrules/affrules/internal/fielderr"
)

// Send is the whole of sending one invitation from account a to creator c: it validates the
// input ([Evaluator.Validate]: MKT-1, INV-1, INV-5..7, INV-12, INV-13), checks that c is listed
// to the account for the invitation's purpose (INV-8, by the policy's [eligibility.Listing]),
// then reserves the quotas and records the invitation in l under e's policy's [Quota] (INV-2..4,
// INV-11), so that one policy governs both halves.
//
// The creator is given once, as c: Send records the invitation with inv.CreatorID set to c.ID,
// whatever inv.CreatorID held. What the invitation shows besides its message (INV-13) is taken
// from the account as at instant at: inv.Showcase is set to the top [Policy.TopCreators] of
// a.LinkedCreators by followers and a copy of a.Company (nil if that shows nothing), whatever it
// held. Bad input is an error
// and records nothing: every problem of Validate, a c.ID that is empty, over 256 bytes or not
// UTF-8 text without ASCII control characters (stored as given), a c.LinkedMCN given but not
// such an ID either, an instant outside the years
// 1900–2199 or a nil ledger, all at once. A creator who is not listed is a business "no": the
// decision carries an INV-8 reason followed by each failing ELG-7 condition, nothing is recorded,
// and the ledger is not consulted, so the quotas are not reported (time alone will not make the
// creator invitable). Otherwise the decision is the ledger's; a ledger's error is returned
// beside the zero Record and Decision (which allows nothing), named "invitation: ledger: …"
// unless it names the package already. A resend (INV-9) is simply another
// Send, under the same quotas.
func (e *Evaluator) Send(ctx context.Context, l Ledger, a Account, inv Invitation, c eligibility.Creator, at time.Time) (Record, affrules.Decision, error) {
	if err := e.ready(); err != nil {
		return Record{}, affrules.Decision{}, err
	}
	inv.CreatorID = c.ID
	errs := fielderr.For(pkg)
	e.validate(errs, a, inv)
	errs.Append(bounds.ID(pkg, "creator.id", c.ID))
	if c.LinkedMCN != "" { // an ID too: a listing's reason names it (ELG-7)
		errs.Append(bounds.ID(pkg, "creator.linked_mcn", c.LinkedMCN))
	}
	errs.Append(checkInstant(at))
	if l == nil {
		errs.Add("ledger", "nil", "must be a Ledger")
	}
	if err := errs.Err(); err != nil {
		return Record{}, affrules.Decision{}, err
	}
	if listed := e.policy.Listing.Listed(a.Viewer(), inv.Purpose, c); !listed.Allowed {
		reasons := append([]affrules.Reason{{
			Rule:     RuleListed,
			Key:      keyListedFailed,
			Observed: affrules.Text(c.ID),
			Subject:  a.ID,
		}}, listed.Failures()...)
		return Record{}, affrules.Decide(reasons...), nil
	}
	inv.Showcase = showcase(a, e.policy.TopCreators)
	r, d, err := l.Reserve(ctx, e.policy.Quota, a, inv, at)
	if err != nil { // whatever a failing ledger returns beside it: nothing is allowed
		return Record{}, affrules.Decision{}, ctxerr.Store(pkg, "ledger", err)
	}
	return r, d, nil
}

// Shown returns what invitation record r shows its creator beside its message (INV-13): the
// showcase [Evaluator.Send] recorded, as at send time, or, under [Policy.LiveShowcase], the one
// account a gives now: the top [Policy.TopCreators] of a.LinkedCreators by followers and a copy
// of a.Company. Either is nil when it shows nothing. The send-time showcase is r's own, not a
// copy. a is read only under LiveShowcase, where it must be the record's account (a.ID is
// r.Account) with a profile Send would accept; otherwise Shown returns an error naming each
// problem, as Send does (ErrProfile for the profile), and a nil showcase.
func (e *Evaluator) Shown(r Record, a Account) (*Showcase, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	if !e.policy.LiveShowcase {
		if r.Showcase.IsZero() {
			return nil, nil
		}
		return r.Showcase, nil
	}
	l := fielderr.For(pkg)
	if err := bounds.ID(pkg, "account.id", a.ID); err != nil {
		l.Append(err)
	} else if a.ID != r.Account {
		l.Add("account.id", quoteCut(a.ID), "is not the record's account %s: the invitation shows its own account's profile (INV-13)", quoteCut(r.Account))
	}
	checkProfile(l, a)
	if err := l.Err(); err != nil {
		return nil, err
	}
	return showcase(a, e.policy.TopCreators), nil
}
