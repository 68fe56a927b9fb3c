package invitation_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/deadline"
	"github.com/affrules/affrules/invitation"
)

// FuzzSend: Evaluator.Send of any account, invitation, creator and instant to a fresh ledger,
// twice. Each call gives a decision or an error, never both and never neither, within a second:
// an error records nothing and comes with the zero record and decision; an admission records
// the invitation at the instant; a refusal gives its reasons and records nothing. A second send
// of an admitted invitation is refused under INV-3. Executions measured are in BENCHMARKS.md.
func FuzzSend(f *testing.F) {
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	f.Add("acct", "ID", true, true, "ID", "product_distribution", goodID.Message, "whatsapp", "+62 812-3456-7890", "c1", true, "", t0.Unix(), int64(0))
	f.Add("acct", "TH", true, false, "TH", "creator_partnership", "สวัสดีครับ", "line", "agency.th", "c1", true, "other", t0.Unix(), int64(0))
	f.Add("", "", false, false, "", "", "", "", "", "", false, "", int64(0), int64(0))
	f.Add("acct", "UK", false, true, "UK", "product_distribution", "kata\u200bkata", "emial", "\u200b", "c1", true, "acct", int64(-2_208_988_801), int64(0))
	f.Add("acct", "UK", true, true, "SG", "product_distribution", "hi\x00", "email", "a@b.co", "c2", false, "", int64(7_258_118_400), int64(-1))
	e := invitation.MustNew(invitation.DefaultPolicy())
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, id, home string, mcn, partner bool, market, purpose, message, channel, value, creatorID string, ecommerce bool, linkedMCN string, sec, nsec int64) {
		a := invitation.Account{ID: id, HomeMarket: affrules.MarketCode(home), MCN: mcn, Partner: partner}
		inv := invitation.Invitation{Market: affrules.MarketCode(market), Purpose: invitation.Purpose(purpose), Message: message,
			Contacts: []invitation.Contact{{Channel: affrules.Channel(channel), Value: value}}}
		c := eligibility.Creator{ID: creatorID, ECommercePermission: ecommerce, LinkedMCN: linkedMCN}
		at := time.Time{}
		if sec != 0 || nsec != 0 {
			at = time.Unix(sec, nsec)
		}
		l := invitation.NewMemory()
		deadline.Within(t, time.Second, func() {
			r, d, err := e.Send(ctx, l, a, inv, c, at)
			checkSend(t, r, d, err, at)
			if err == nil && d.Allowed {
				r, d, err = e.Send(ctx, l, a, inv, c, at.Add(time.Second))
				checkSend(t, r, d, err, at.Add(time.Second))
				if err == nil && !d.Failed(invitation.RuleRepeat) {
					t.Fatalf("a second invitation a second later: %s, want INV-3", d)
				}
			}
		})
	})
}

func checkSend(t *testing.T, r invitation.Record, d affrules.Decision, err error, at time.Time) {
	t.Helper()
	switch {
	case err != nil:
		if !reflect.ValueOf(r).IsZero() || !reflect.ValueOf(d).IsZero() {
			t.Fatalf("a record %+v or decision %s beside the error %v", r, d, err)
		}
		if err.Error() == "" {
			t.Fatal("an empty error message")
		}
	case d.Allowed:
		if r.Seq <= 0 || !r.At.Equal(at) || len(d.Reasons) != 0 {
			t.Fatalf("an admission with record #%d at %s and reasons %s", r.Seq, r.At, d)
		}
	default:
		if len(d.Failures()) == 0 || r.Seq != 0 {
			t.Fatalf("neither an admission nor an error: %s, record #%d", d, r.Seq)
		}
		_ = d.String()
	}
}

// FuzzShown: Evaluator.Shown of a record sent by an account, given that account with any
// profile, under the send-time and the live policy. It never panics and answers within a
// second; an error comes with a nil showcase; as at send time it is the record's own showcase
// whatever the account given; live, it is the profile given: at most TopCreators linked
// creators, most followed first, and the company given.
func FuzzShown(f *testing.F) {
	f.Add("acct", "Agency", "intro", "c1", "user", int64(10), "c2", int64(20))
	f.Add("acct", "", "", "", "", int64(0), "", int64(0))
	f.Add("other", "a\x00b", "\u202e", "c1", "\u200b", int64(-1), "c1", int64(5))
	t0 := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	sent := invitation.Account{ID: "acct", HomeMarket: affrules.ID, MCN: true, Partner: true, Company: &invitation.Company{Name: "Sent"}}
	rec, d, err := invitation.MustNew(invitation.DefaultPolicy()).Send(context.Background(), invitation.NewMemory(), sent, goodID, eligibility.Creator{ID: "c1", ECommercePermission: true}, t0)
	if err != nil || !d.Allowed {
		f.Fatalf("send: %v %s", err, d)
	}
	asSent := invitation.MustNew(invitation.DefaultPolicy())
	p := invitation.DefaultPolicy()
	p.LiveShowcase = true
	live := invitation.MustNew(p)
	f.Fuzz(func(t *testing.T, id, name, intro, c1, user1 string, f1 int64, c2 string, f2 int64) {
		a := invitation.Account{ID: id, HomeMarket: affrules.ID, MCN: true, Company: &invitation.Company{Name: name, Introduction: intro},
			LinkedCreators: []invitation.LinkedCreator{{ID: c1, Username: user1, Followers: f1}, {ID: c2, Followers: f2}}}
		deadline.Within(t, time.Second, func() {
			got, err := asSent.Shown(rec, a)
			if err != nil || got != rec.Showcase {
				t.Fatalf("as at send time: %+v, %v; want the record's showcase", got, err)
			}
			got, err = live.Shown(rec, a)
			if err != nil {
				if got != nil || err.Error() == "" {
					t.Fatalf("a showcase %+v beside the error %v", got, err)
				}
				return
			}
			if got == nil {
				t.Fatal("live: a valid profile with a company name showed nothing")
			}
			tc := got.TopCreators
			if len(tc) > p.TopCreators || got.Company.Name != name {
				t.Fatalf("live: %+v from the account %+v", got, a)
			}
			for i := 1; i < len(tc); i++ {
				if tc[i].Followers > tc[i-1].Followers {
					t.Fatalf("live: top creators not most followed first: %+v", tc)
				}
			}
		})
	})
}
