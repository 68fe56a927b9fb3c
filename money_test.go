package affrules_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/affrules/affrules"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// MKT-4: rounding to a minor unit in each named mode. Half-up rounds halves away from zero,
// half-even to the even neighbour, down toward zero; negative amounts mirror positive ones.
func TestMKT4RoundingModeRound(t *testing.T) {
	tests := []struct {
		amount string
		places int32
		mode   affrules.RoundingMode
		want   string
	}{
		{"2.345", 2, affrules.HalfUp, "2.35"},
		{"2.344999", 2, affrules.HalfUp, "2.34"},
		{"2.355", 2, affrules.HalfUp, "2.36"},
		{"2.345", 2, affrules.HalfEven, "2.34"},
		{"2.355", 2, affrules.HalfEven, "2.36"},
		{"2.3450001", 2, affrules.HalfEven, "2.35"},
		{"2.349", 2, affrules.Down, "2.34"},
		{"2.3", 2, affrules.Down, "2.3"},
		{"2", 2, affrules.HalfUp, "2"},
		{"-2.345", 2, affrules.HalfUp, "-2.35"},
		{"-2.344", 2, affrules.HalfUp, "-2.34"},
		{"-2.345", 2, affrules.HalfEven, "-2.34"},
		{"-2.355", 2, affrules.HalfEven, "-2.36"},
		{"-2.349", 2, affrules.Down, "-2.34"},
		{"12345.5", 0, affrules.HalfUp, "12346"},
		{"12344.5", 0, affrules.HalfEven, "12344"},
		{"12345.5", 0, affrules.HalfEven, "12346"},
		{"12345.99", 0, affrules.Down, "12345"},
		{"0.005", 2, affrules.HalfUp, "0.01"},
		{"0.005", 2, affrules.HalfEven, "0"},
		{"0.009", 2, affrules.Down, "0"},
		{"2.345", 2, affrules.RoundingMode(9), "2.35"}, // an unknown mode rounds half-up
	}
	for _, tt := range tests {
		t.Run(tt.mode.String()+"/"+tt.amount, func(t *testing.T) {
			amount := dec(tt.amount)
			got := tt.mode.Round(amount, tt.places)
			assert.True(t, dec(tt.want).Equal(got), "%s.Round(%s, %d) = %s, want %s", tt.mode, tt.amount, tt.places, got, tt.want)
			assert.True(t, dec(tt.amount).Equal(amount), "the argument is not modified")
		})
	}
}

// MKT-4: Market.Round rounds to the market currency's minor unit: whole rupiah in ID, pence in UK.
func TestMKT4MarketRound(t *testing.T) {
	id, uk, vn := market(t, affrules.ID), market(t, affrules.UK), market(t, affrules.VN)
	tests := []struct {
		market affrules.Market
		amount string
		mode   affrules.RoundingMode
		want   string
	}{
		{uk, "2.345", affrules.HalfUp, "2.35"},
		{uk, "2.345", affrules.HalfEven, "2.34"},
		{uk, "2.355", affrules.HalfEven, "2.36"},
		{uk, "2.349", affrules.Down, "2.34"},
		{uk, "-2.345", affrules.HalfUp, "-2.35"},
		{uk, "-2.349", affrules.Down, "-2.34"},
		{id, "15000.5", affrules.HalfUp, "15001"},
		{id, "15000.5", affrules.HalfEven, "15000"},
		{id, "15001.5", affrules.HalfEven, "15002"},
		{id, "15000.99", affrules.Down, "15000"},
		{id, "2.345", affrules.HalfUp, "2"},
		{id, "-15000.5", affrules.HalfUp, "-15001"},
		{vn, "1234.4999", affrules.HalfUp, "1234"},
	}
	for _, tt := range tests {
		t.Run(tt.market.Currency+"/"+tt.mode.String()+"/"+tt.amount, func(t *testing.T) {
			got := tt.market.Round(dec(tt.amount), tt.mode)
			if diff := cmp.Diff(dec(tt.want), got); diff != "" {
				t.Errorf("%s.Round(%s, %s) (-want +got):\n%s", tt.market, tt.amount, tt.mode, diff)
			}
			assert.LessOrEqual(t, -got.Exponent(), tt.market.MinorUnit, "no more places than the minor unit")
		})
	}
	var zero affrules.RoundingMode
	assert.Equal(t, affrules.HalfUp, zero, "the zero mode is the catalog default")
}

// Property (MKT-4): each mode moves an amount by less than one minor unit (by at most half of one
// for the nearest modes), in the direction the mode says.
func TestMKT4RoundProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		amount := decimal.New(rapid.Int64Range(-1e12, 1e12).Draw(t, "units"), -rapid.Int32Range(0, 6).Draw(t, "scale"))
		places := rapid.Int32Range(0, 4).Draw(t, "places")
		unit := decimal.New(1, -places)
		half := unit.Div(decimal.NewFromInt(2))
		for _, mode := range []affrules.RoundingMode{affrules.HalfUp, affrules.HalfEven, affrules.Down} {
			got := mode.Round(amount, places)
			if !got.Equal(got.Truncate(places)) {
				t.Fatalf("%s.Round(%s, %d) = %s has too many places", mode, amount, places, got)
			}
			diff := amount.Sub(got).Abs()
			switch mode {
			case affrules.Down:
				if diff.GreaterThanOrEqual(unit) || got.Abs().GreaterThan(amount.Abs()) {
					t.Fatalf("Down.Round(%s, %d) = %s", amount, places, got)
				}
			default:
				if diff.GreaterThan(half) {
					t.Fatalf("%s.Round(%s, %d) = %s is more than half a unit away", mode, amount, places, got)
				}
			}
			if neg := mode.Round(amount.Neg(), places); !neg.Equal(got.Neg()) {
				t.Fatalf("%s.Round(-%s) = %s, want %s: not symmetric", mode, amount, neg, got.Neg())
			}
			want := map[affrules.RoundingMode]decimal.Decimal{affrules.HalfUp: amount.Round(places), affrules.HalfEven: amount.RoundBank(places), affrules.Down: amount.Truncate(places)}[mode]
			if !got.Equal(want) {
				t.Fatalf("%s.Round(%s, %d) = %s, want %s as decimal rounds it", mode, amount, places, got, want)
			}
		}
	})
}

// An amount far below a unit rounds to 0 at once, whatever its exponent: decimal.Decimal would
// write out millions of zeros first (an exponent of -2e9 would take hours).
func TestMKT4RoundTinyAmounts(t *testing.T) {
	for _, exp := range []int32{-30, -10_000_000, -2_000_000_000} {
		for _, mode := range []affrules.RoundingMode{affrules.HalfUp, affrules.HalfEven, affrules.Down} {
			for _, amount := range []decimal.Decimal{decimal.New(123456789, exp), decimal.New(-987654321, exp)} {
				got := mode.Round(amount, 2)
				if !got.IsZero() || got.Exponent() != -2 {
					t.Errorf("%s.Round(%d-digit amount ×10^%d, 2) = %s (exponent %d), want 0.00", mode, amount.NumDigits(), exp, got, got.Exponent())
				}
			}
		}
	}
}

func TestRoundingModeText(t *testing.T) {
	for mode, name := range map[affrules.RoundingMode]string{affrules.HalfUp: "half_up", affrules.HalfEven: "half_even", affrules.Down: "down"} {
		assert.Equal(t, name, mode.String())
		b, err := mode.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, name, string(b))
		var back affrules.RoundingMode
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, mode, back)
	}
	assert.Equal(t, "RoundingMode(7)", affrules.RoundingMode(7).String())
	_, err := affrules.RoundingMode(7).MarshalText()
	assert.ErrorIs(t, err, affrules.ErrOutOfRange)

	type policy struct {
		Rounding affrules.RoundingMode `json:"rounding"`
	}
	var p policy
	require.NoError(t, json.Unmarshal([]byte(`{"rounding":"half_even"}`), &p))
	assert.Equal(t, affrules.HalfEven, p.Rounding)
	b, err := json.Marshal(p)
	require.NoError(t, err)
	assert.JSONEq(t, `{"rounding":"half_even"}`, string(b))
	_, err = json.Marshal(policy{Rounding: 3})
	assert.ErrorIs(t, err, affrules.ErrOutOfRange, "an unknown mode is not written out")

	for _, in := range []string{`"HALF_UP"`, `"half-up"`, `"ceiling"`, `""`, `1`} {
		t.Run(in, func(t *testing.T) {
			p := policy{Rounding: affrules.Down}
			err := json.Unmarshal([]byte(`{"rounding":`+in+`}`), &p)
			require.Error(t, err)
			assert.Equal(t, affrules.Down, p.Rounding, "a refused value leaves the field alone")
		})
	}
	err = json.Unmarshal([]byte(`{"rounding":"ceiling"}`), &p)
	var fe *affrules.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "rounding_mode", fe.Field)
	assert.Equal(t, `affrules: rounding_mode "ceiling": must be one of half_up, half_even, down`, fe.Error())
}

// MKT-4: negative amounts are errors.

// Places far below zero (rounding to a unit of 10^2147483647) neither overflow nor hang: an
// amount below half that unit is 0, written as plain 0, in every mode; places of -2^31 are
// taken as -2^31 + 1.
func TestRoundExtremePlaces(t *testing.T) {
	amount := decimal.RequireFromString("123456.789")
	for _, places := range []int32{math.MinInt32, math.MinInt32 + 1, -1_000_000_000} {
		for _, mode := range []affrules.RoundingMode{affrules.HalfUp, affrules.HalfEven, affrules.Down} {
			done := make(chan string, 1)
			go func() { done <- mode.Round(amount, places).String() }()
			select {
			case got := <-done:
				if got != "0" {
					t.Errorf("%s.Round(%s, %d) = %s, want 0", mode, amount, places, got)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("%s.Round(%s, %d) did not return within 5s", mode, amount, places)
			}
		}
	}
	if got := affrules.HalfUp.Round(decimal.RequireFromString("150"), -2).String(); got != "200" {
		t.Errorf("HalfUp.Round(150, -2) = %s, want 200", got)
	}
	if got := affrules.HalfUp.Round(decimal.RequireFromString("0.004"), -2); !got.IsZero() {
		t.Errorf("HalfUp.Round(0.004, -2) = %s, want 0", got)
	}
}
