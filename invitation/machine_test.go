package invitation_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/invitation"
)

// quotaModel is the plain reference for INV-2..4: the list of admitted invitations, searched in
// full on every question.
type quotaModel struct {
	policy  invitation.Policy
	records []invitation.Record
}

func (m *quotaModel) decide(a invitation.Account, creator string, at time.Time) (rules []affrules.RuleID, next time.Time) {
	home, _ := affrules.LookupMarket(a.HomeMarket)
	day := affrules.DayOf(at, home.Location())
	n := 0
	var last time.Time
	for _, r := range m.records {
		if r.Account != a.ID {
			continue
		}
		if day.Contains(r.At) {
			n++
		}
		if r.CreatorID == creator && r.At.After(last) {
			last = r.At
		}
	}
	if n >= m.policy.DailyLimit {
		rules, next = append(rules, invitation.RuleDaily), day.End
	}
	window := affrules.Days(m.policy.RepeatWindowDays)
	if !last.IsZero() && at.Sub(last) < window {
		rules = append(rules, invitation.RuleRepeat)
		if again := last.Add(window); again.After(next) {
			next = again
		}
	}
	return rules, next
}

func (m *quotaModel) count(account string) int {
	n := 0
	for _, r := range m.records {
		if r.Account == account {
			n++
		}
	}
	return n
}

// TestMemoryMachine drives reserve and advance-the-clock actions over several accounts and
// creators against the plain model (INV-2..4, INV-9, MKT-2, MKT-3), across London's DST changes.
func TestMemoryMachine(t *testing.T) {
	accounts := []invitation.Account{
		{ID: "uk-partner", HomeMarket: affrules.UK, Partner: true},
		{ID: "id-both", HomeMarket: affrules.ID, MCN: true, Partner: true},
		{ID: "sg-mcn", HomeMarket: affrules.SG, MCN: true},
	}
	london, _ := time.LoadLocation("Europe/London")
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	const keep = 9 * 24 * time.Hour
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		p := invitation.DefaultPolicy()
		p.DailyLimit = rapid.IntRange(1, 4).Draw(t, "daily")
		p.RepeatWindowDays = rapid.IntRange(1, 7).Draw(t, "window")
		l := invitation.NewMemory(invitation.KeepHistory(keep))
		model := &quotaModel{policy: p}
		now := rapid.SampledFrom([]time.Time{
			time.Date(2026, 3, 28, 21, 0, 0, 0, time.UTC),  // the night before spring forward
			time.Date(2026, 10, 24, 21, 0, 0, 0, time.UTC), // the night before fall back
		}).Draw(t, "start")

		t.Repeat(map[string]func(*rapid.T){
			"advance": func(t *rapid.T) {
				var to time.Time
				switch rapid.IntRange(0, 4).Draw(t, "how") {
				case 0:
					to = now.Add(time.Duration(rapid.Int64Range(0, int64(3*time.Hour)).Draw(t, "d")))
				case 1:
					to = affrules.DayOf(now, london).End
				case 2:
					to = affrules.DayOf(now, jakarta).End
				case 3: // exactly a window after an earlier invitation, or a nanosecond before
					if len(model.records) == 0 {
						t.Skip("no invitations yet")
					}
					r := rapid.SampledFrom(model.records).Draw(t, "record")
					to = r.At.Add(affrules.Days(p.RepeatWindowDays) - time.Duration(rapid.IntRange(0, 1).Draw(t, "minus")))
				case 4:
					to = now.Add(time.Duration(rapid.Int64Range(0, int64(3*24*time.Hour)).Draw(t, "d")))
				}
				if to.Before(now) {
					t.Skip("the model's clock only moves forward")
				}
				now = to
			},
			"reserve": func(t *rapid.T) {
				a := rapid.SampledFrom(accounts).Draw(t, "account")
				creator := fmt.Sprint("c", rapid.IntRange(0, 4).Draw(t, "creator"))
				inv := invitation.Invitation{Market: a.HomeMarket, CreatorID: creator, Username: "u" + creator, Nickname: "n" + creator, Purpose: invitation.CreatorPartnership, Message: "hi"}
				if a.Partner && (!a.MCN || rapid.Bool().Draw(t, "distribution")) {
					inv.Purpose = invitation.ProductDistribution
				}
				wantRules, wantNext := model.decide(a, creator, now)
				r, d, err := l.Reserve(ctx, p.Quota, a, inv, now)
				if err != nil {
					t.Fatal(err)
				}
				var gotRules []affrules.RuleID
				for _, reason := range d.Failures() {
					gotRules = append(gotRules, reason.Rule)
				}
				if !slices.Equal(wantRules, gotRules) || d.Allowed != (len(wantRules) == 0) {
					t.Fatalf("%s→%s at %s: got %s, want failures %v", a.ID, creator, now, d, wantRules)
				}
				if !d.NextAllowed.Equal(wantNext) {
					t.Fatalf("%s→%s at %s: next %s, want %s", a.ID, creator, now, d.NextAllowed, wantNext)
				}
				if d.Allowed {
					if want := int64(model.count(a.ID) + 1); r.Seq != want {
						t.Fatalf("seq %d, want %d", r.Seq, want)
					}
					model.records = append(model.records, r)
				}
			},
			"history": func(t *rapid.T) {
				a := rapid.SampledFrom(accounts).Draw(t, "account")
				page, err := l.History(ctx, invitation.Query{Account: a.ID, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				got := map[int64]invitation.Record{}
				for i, r := range page.Records {
					if i > 0 && r.Seq >= page.Records[i-1].Seq {
						t.Fatalf("history not newest first: %d after %d", r.Seq, page.Records[i-1].Seq)
					}
					got[r.Seq] = r
				}
				for _, r := range model.records {
					if r.Account != a.ID {
						continue
					}
					g, ok := got[r.Seq]
					if ok && (g.CreatorID != r.CreatorID || !g.At.Equal(r.At)) {
						t.Fatalf("record %d is %v, want %v", r.Seq, g, r)
					}
					if !ok && now.Sub(r.At) < keep {
						t.Fatalf("record %d at %s lost within the retention", r.Seq, r.At)
					}
					delete(got, r.Seq)
				}
				if len(got) > 0 {
					t.Fatalf("records the model never admitted: %v", got)
				}
			},
		})
	})
}
