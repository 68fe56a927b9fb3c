package level_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/level"
)

// The zero Evaluator (and a nil one) fails closed: every method returns an error wrapping
// ErrNoPolicy, and Visible a denial. It used to grant every badge and report an empty creator
// type without error.
func TestZeroEvaluator(t *testing.T) {
	perf := mustPerf(t, affrules.UK, feb2026, "100", 5, 3)
	var h level.MemoryHistory
	require.NoError(t, h.Put(t.Context(), level.Record{Market: affrules.UK, Creator: "c", Month: march2026, Level: level.L3}))
	at := time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)
	r := affrules.MustParseRate
	for name, ev := range map[string]*level.Evaluator{"zero": new(level.Evaluator), "nil": nil} {
		t.Run(name, func(t *testing.T) {
			noPolicy := func(method string, err error) {
				t.Helper()
				assert.ErrorIs(t, err, level.ErrNoPolicy, method)
				assert.ErrorContains(t, err, "level: Evaluator."+method+": ", method)
			}
			l, err := ev.Assign(affrules.UK, march2026, perf)
			noPolicy("Assign", err)
			assert.Equal(t, level.L0, l)

			n := 0
			for rec, err := range ev.Refresh(affrules.UK, march2026, func(yield func(string, level.Performance) bool) { yield("c", perf) }) {
				n++
				noPolicy("Refresh", err)
				assert.Zero(t, rec, "the zero Record beside an error")
			}
			assert.Equal(t, 1, n, "Refresh yields a single error")

			d, err := ev.Benefit("leaderboard", level.L8)
			noPolicy("Benefit", err)
			assert.False(t, d.Allowed)

			d, err = ev.Visible(level.Viewer{Role: level.RoleSeller}, "c")
			noPolicy("Visible", err)
			assert.False(t, d.Allowed, "the zero Evaluator shows no level")

			tr, err := ev.Trend(level.L4, level.L4)
			noPolicy("Trend", err)
			assert.False(t, tr.Reliability.Allowed)

			tr, ok, err := ev.TrendAt(t.Context(), &h, affrules.UK, "c", march2026)
			noPolicy("TrendAt", err)
			assert.False(t, ok)
			assert.False(t, tr.Reliability.Allowed)

			s, ok, err := ev.Score(affrules.ID, level.DefaultPolicy().Score[affrules.ID].Caps)
			noPolicy("Score", err)
			assert.False(t, ok)
			assert.True(t, s.IsZero())

			ct, err := ev.TypeOf(decimal.NewFromInt(1), decimal.Zero)
			noPolicy("TypeOf", err)
			assert.Empty(t, ct)

			b, err := ev.Badges(level.BadgeInput{ReplyRate: r("100%"), SampleFulfilment: r("100%")}, at)
			noPolicy("Badges", err)
			for _, d := range []affrules.Decision{b.QuickToRespond, b.PostsFrequently, b.ReliableWithSamples} {
				assert.False(t, d.Allowed, "no badge without a policy")
			}

			v, err := ev.ProfileView(level.Profile{Creator: "c", DataAuthorised: true}, level.Viewer{Role: level.RoleCreator, ID: "c"})
			noPolicy("ProfileView", err)
			assert.False(t, v.Data.Allowed, "no profile data without a policy")
		})
	}
}

// The zero MemoryHistory is an empty history ready to use.
func TestZeroMemoryHistory(t *testing.T) {
	var h level.MemoryHistory
	l, ok, err := h.Get(t.Context(), affrules.UK, "c", march2026)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, level.L0, l)
	require.NoError(t, h.Put(t.Context(), level.Record{Market: affrules.UK, Creator: "c", Month: march2026, Level: level.L2}))
	l, ok, err = h.Get(t.Context(), affrules.UK, "c", march2026)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, level.L2, l)
}

// The zero Aggregator belongs to no market and rejects every event.
func TestZeroAggregator(t *testing.T) {
	var a level.Aggregator
	uk := market(t, affrules.UK)
	for _, at := range []time.Time{{}, feb2026.Period(uk).Start, time.Unix(0, 0)} {
		err := a.Add(level.Event{Creator: "c", At: at, Kind: level.PromoLive})
		assert.ErrorIs(t, err, affrules.ErrUnknownMarket, at)
	}
	n := 0
	for range a.All() {
		n++
	}
	assert.Zero(t, n)
	assert.Zero(t, a.Performance("c").ActiveDays())
}

// The zero Performance, Record, Policy and Level behave as documented.
func TestZeroValues(t *testing.T) {
	ev := mustNew(t, testPolicy(level.HighestMet))
	_, err := ev.Assign(affrules.UK, march2026, level.Performance{})
	assert.ErrorContains(t, err, "level: performance.market")
	var zp level.Performance
	assert.True(t, zp.GMV().IsZero())

	err = level.Record{}.Validate()
	var fe *affrules.FieldError
	require.True(t, errors.As(err, &fe))
	assert.ErrorContains(t, err, "record.market")
	assert.ErrorContains(t, err, "record.creator")

	require.Error(t, level.Policy{}.Validate())
	_, err = level.New(level.Policy{})
	require.Error(t, err)
	assert.Panics(t, func() { level.MustNew(level.Policy{}) })

	var l level.Level
	assert.Equal(t, level.L0, l)
	assert.Equal(t, "L0", l.String())

	var k level.Kind
	assert.Equal(t, level.UnknownKind, k, "the zero Kind is unknown: it meets no need and promotes nothing")
	assert.False(t, k.Meets(level.LinkShareOnly))
	assert.False(t, k.Promotes(level.PromoLinkShare))

	var g level.GPM
	assert.False(t, g.HasData(), "the zero GPM has no data")
	_, ok := zp.Capability()
	assert.False(t, ok, "the zero Performance has no capability")
}

// Nil stores, histories, aggregators and sequences a careless host passes are errors, never a
// panic: a nil *MemoryHistory, a nil History, a nil *Aggregator and a nil performance sequence.
func TestNilInputs(t *testing.T) {
	ctx := t.Context()
	var h *level.MemoryHistory
	_, _, err := h.Get(ctx, affrules.UK, "c", march2026)
	assert.ErrorContains(t, err, "level: nil *MemoryHistory")
	assert.ErrorContains(t, h.Put(ctx, level.Record{Market: affrules.UK, Creator: "c", Month: march2026, Level: level.L3}), "level: nil *MemoryHistory")
	at := time.Date(2026, time.March, 15, 12, 0, 0, 0, time.UTC)
	_, _, err = level.LevelAt(ctx, h, affrules.UK, "c", at)
	assert.ErrorContains(t, err, "level: nil *MemoryHistory")
	_, _, err = level.LevelAt(ctx, nil, affrules.UK, "c", at)
	assert.ErrorContains(t, err, "level: history nil: must be a History")
	ev := level.MustNew(level.DefaultPolicy())
	_, _, err = ev.TrendAt(ctx, nil, affrules.UK, "c", march2026)
	assert.ErrorContains(t, err, "level: history nil: must be a History")

	var a *level.Aggregator
	assert.ErrorIs(t, a.Add(level.Event{Creator: "c", At: at, Kind: level.PromoLive}), affrules.ErrUnknownMarket)
	assert.Equal(t, level.Performance{}, a.Performance("c"))
	for range a.All() {
		t.Fatal("a nil Aggregator yielded a creator")
	}
	n := 0
	for r, err := range ev.Refresh(affrules.UK, march2026, nil) {
		n++
		assert.Equal(t, level.Record{}, r)
		assert.ErrorContains(t, err, "level: performances nil: must be a sequence of performances")
	}
	assert.Equal(t, 1, n)
}

// A cancelled context is an error of the package, which errors.Is still finds.
func TestMemoryHistoryCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var h level.MemoryHistory
	_, _, err := h.Get(ctx, affrules.UK, "c", march2026)
	assert.ErrorIs(t, err, context.Canceled)
	assert.ErrorContains(t, err, "level: context canceled")
}

// A nil context is an error of the package from every store method, not a panic.
func TestMemoryHistoryNilContext(t *testing.T) {
	var ctx context.Context // a host that forgot it
	var h level.MemoryHistory
	assert.ErrorContains(t, h.Put(ctx, level.Record{}), "level: nil context.Context")
	_, _, err := h.Get(ctx, affrules.UK, "c", march2026)
	assert.ErrorContains(t, err, "level: nil context.Context")
	_, _, err = level.LevelAt(ctx, &h, affrules.UK, "c", time.Now())
	assert.ErrorContains(t, err, "level: nil context.Context")
}

// badHistory is a host's store that returns a level that is not one (LVL-1).
type badHistory struct{}

func (badHistory) Put(context.Context, level.Record) error { return nil }
func (badHistory) Get(context.Context, affrules.MarketCode, string, affrules.Month) (level.Level, bool, error) {
	return level.Level(200), true, nil
}

// A level a store returns is checked: L0 to L8, else an error with false, never passed on.
func TestStoredLevelOutOfRange(t *testing.T) { // LVL-1
	l, ok, err := level.LevelAt(t.Context(), badHistory{}, affrules.UK, "c", time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC))
	assert.ErrorContains(t, err, "level: history level 200: is not a level L0 to L8 (LVL-1)")
	assert.False(t, ok)
	assert.Equal(t, level.L0, l)
	e := level.MustNew(level.DefaultPolicy())
	_, ok, err = e.TrendAt(t.Context(), badHistory{}, affrules.UK, "c", march2026)
	assert.ErrorContains(t, err, "level: history level 200")
	assert.False(t, ok)
}

// notStoredHistory is a host's store that says "not stored" beside a level that is not one.
type notStoredHistory struct{ badHistory }

func (notStoredHistory) Get(context.Context, affrules.MarketCode, string, affrules.Month) (level.Level, bool, error) {
	return level.Level(200), false, nil
}

// "Not stored" is L0 and false, whatever level the store returned beside it.
func TestNotStoredLevelIsL0(t *testing.T) { // LVL-1
	l, ok, err := level.LevelAt(t.Context(), notStoredHistory{}, affrules.UK, "c", time.Date(2026, 3, 5, 0, 0, 0, 0, time.UTC))
	assert.NoError(t, err)
	assert.False(t, ok)
	assert.Equal(t, level.L0, l)
}
