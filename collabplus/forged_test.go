package collabplus_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/level"
)

// fgForged is the record of the hostile-input review: a collaboration never submitted under the
// quota (CP-3), never paid through Apply (CP-7), running one day (CP-2 needs 14) for a group never
// saved (CP-4), with a member, built by hand.
func fgForged() collabplus.Seller {
	at := lcDate
	return collabplus.Seller{ID: "forged", Market: affrules.TH, Updated: at(1, 1, 0),
		Collaborations: []collabplus.Collaboration{{ID: "c", Market: affrules.TH,
			Preferences: collabplus.Terms{Type: collabplus.Task, Period: affrules.Period{Start: at(2, 1, 0), End: at(2, 2, 0)},
				Products: []collabplus.Product{{ID: "lamp", Rate: affrules.MustParseRate("80%")}}, Group: "ghost"},
			Group: &collabplus.Group{ID: "ghost"},
			Events: []collabplus.Event{{Kind: collabplus.Submitted, At: at(1, 1, 0), Due: at(1, 2, 0)},
				{Kind: collabplus.PaidEvent, At: at(1, 1, 1), Method: "credit_card"}},
			Members: []collabplus.Member{{Creator: "mali", Joined: at(2, 1, 1)}}}}}
}

// The review's repro: Memory.Create refuses a record holding a collaboration the rules never
// saw, as bad input naming the field and its value, and stores nothing.
func TestCreateRefusesForgedCollaboration(t *testing.T) {
	ctx := context.Background()
	m := collabplus.NewMemory()
	_, err := m.Create(ctx, fgForged())
	lcBadInput(t, err, "seller.collaborations")
	assert.ErrorContains(t, err, "collabplus: seller.collaborations 1: are added by Evaluator.Apply")
	_, err = m.Seller(ctx, "forged")
	require.ErrorIs(t, err, collabplus.ErrNotFound)
	// Seller.Validate, which every store's Create applies, is where the refusal lives.
	lcBadInput(t, fgForged().Validate(), "seller.collaborations")
}

// A record fresh from NewSeller is still created, and returned and stored as given.
func TestCreateAcceptsNewSeller(t *testing.T) {
	ctx := context.Background()
	m := collabplus.NewMemory()
	s, err := lcEval.NewSeller("shop-fresh", affrules.TH, lcT0)
	require.NoError(t, err)
	require.NoError(t, s.Validate())
	got, err := m.Create(ctx, s)
	require.NoError(t, err)
	assert.Equal(t, s, got)
	read, err := m.Seller(ctx, "shop-fresh")
	require.NoError(t, err)
	assert.Equal(t, s, read)
}

// Each field only Apply sets is refused on its own, naming that field alone; a record Apply
// returned is not new either.
func TestCreateRefusesEachRulesField(t *testing.T) {
	ctx := context.Background()
	forged := fgForged()
	for _, tc := range []struct {
		field string
		edit  func(*collabplus.Seller)
	}{
		{"seller.groups", func(s *collabplus.Seller) { s.Groups = []collabplus.Group{{ID: "ghost"}} }},
		{"seller.blocklist", func(s *collabplus.Seller) {
			s.Blocklist = collabplus.Blocklist{{Creator: "kai", Blocked: false, At: lcT0}} // an unblock, hiding nothing
		}},
		{"seller.submissions", func(s *collabplus.Seller) {
			s.Submissions = []collabplus.Submission{{Collaboration: "c", At: lcT0}}
		}},
		{"seller.collaborations", func(s *collabplus.Seller) { s.Collaborations = forged.Collaborations }},
		{"seller.collaborations", func(s *collabplus.Seller) { // even a bare draft: NewDraft checks it
			s.Collaborations = []collabplus.Collaboration{{ID: "c", Preferences: lcTask(lcDays(lcDay(1), 14))}}
		}},
	} {
		t.Run(tc.field, func(t *testing.T) {
			m := collabplus.NewMemory()
			s, err := lcEval.NewSeller("shop-x", affrules.TH, lcT0)
			require.NoError(t, err)
			tc.edit(&s)
			_, err = m.Create(ctx, s)
			lcBadInput(t, err, tc.field)
			assert.True(t, strings.HasPrefix(err.Error(), "collabplus: "+tc.field+" 1: "), "%v", err)
			_, err = m.Seller(ctx, "shop-x")
			require.ErrorIs(t, err, collabplus.ErrNotFound)
		})
	}
	// Every problem at once.
	all := fgForged()
	all.Groups = []collabplus.Group{{ID: "ghost"}}
	all.Blocklist = collabplus.Blocklist{{Creator: "kai", Blocked: true, At: lcT0}}
	all.Submissions = []collabplus.Submission{{Collaboration: "c", At: lcT0}}
	all.Market = ""
	_, err := collabplus.NewMemory().Create(ctx, all)
	lcBadInput(t, err, "seller.market", "seller.groups", "seller.blocklist", "seller.submissions", "seller.collaborations")
	// A record with a history is the rules' to change, not to create again.
	lcBadInput(t, lcSeller(t).Validate(), "seller.groups")
}

// Every field of Seller but those NewSeller sets is refused when not empty, so a field added to
// Seller later is refused too or this test fails.
func TestCreateRefusesEveryFieldNewSellerLeavesEmpty(t *testing.T) {
	set := map[string]bool{"ID": true, "Market": true, "Updated": true} // what NewSeller sets
	typ := reflect.TypeFor[collabplus.Seller]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if set[f.Name] {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			s, err := lcEval.NewSeller("shop-x", affrules.TH, lcT0)
			require.NoError(t, err)
			v := reflect.ValueOf(&s).Elem().Field(i)
			switch v.Kind() {
			case reflect.Slice:
				v.Set(reflect.Append(v, reflect.Zero(f.Type.Elem())))
			case reflect.Struct:
				if f.Type != reflect.TypeFor[time.Time]() {
					t.Fatalf("Seller.%s (%s): add a non-empty value here and refuse it in Seller.Validate", f.Name, f.Type)
				}
				v.Set(reflect.ValueOf(lcT0))
			default:
				t.Fatalf("Seller.%s (%s): add a non-empty value here and refuse it in Seller.Validate", f.Name, f.Type)
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			_, err = collabplus.NewMemory().Create(context.Background(), s)
			lcBadInput(t, err, "seller."+name)
		})
	}
}

// A refused Create leaves the store as it was: the records it holds, under the same ID or
// another, and no new one.
func TestCreateForgedLeavesStoreUnchanged(t *testing.T) {
	ctx := context.Background()
	m := collabplus.NewMemory()
	s, err := lcEval.NewSeller(lcShop, affrules.TH, lcT0)
	require.NoError(t, err)
	_, err = m.Create(ctx, s)
	require.NoError(t, err)
	_, err = m.Apply(ctx, lcEval, lcShop, collabplus.SaveGroup(collabplus.Group{ID: lcGroup, MinLevel: level.L3}), lcT0)
	require.NoError(t, err)
	before, err := m.Apply(ctx, lcEval, lcShop, collabplus.BlockCreator("kai"), lcT0.Add(time.Hour))
	require.NoError(t, err)

	under := fgForged()
	under.ID = lcShop // over the record held: bad input, not even a conflict
	_, err = m.Create(ctx, under)
	lcBadInput(t, err, "seller.collaborations")
	require.False(t, errors.Is(err, collabplus.ErrConflict))
	_, err = m.Create(ctx, fgForged())
	lcBadInput(t, err, "seller.collaborations")

	got, err := m.Seller(ctx, lcShop)
	require.NoError(t, err)
	lcSame(t, before, got, "a refused Create")
	_, err = m.Seller(ctx, "forged")
	require.ErrorIs(t, err, collabplus.ErrNotFound)
}
