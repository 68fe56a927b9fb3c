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
