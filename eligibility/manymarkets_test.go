package eligibility_test

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

// ELG-10, MKT-1: with hundreds of markets registered, an override applies in every one of them,
// the last in code order too (New resolved only the first 255, and gave later ones the default
// thresholds whatever their override said). The registry is process-wide, so the markets are
// registered in a child process running this test alone.
func TestOverrideWithManyMarkets_ELG10(t *testing.T) {
	if os.Getenv("AFFRULES_MANY_MARKETS") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestOverrideWithManyMarkets_ELG10$", "-test.count=1")
		cmd.Env = append(os.Environ(), "AFFRULES_MANY_MARKETS=1")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
		return
	}
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b += 2 {
			code := affrules.MarketCode(string([]rune{'Q', a, b})) // three letters: found by a scan
			if a < 'L' {
				code = affrules.MarketCode(string([]rune{a, b})) // two: through the index
			}
			if _, err := affrules.LookupMarket(code); err == nil {
				continue
			}
			require.NoError(t, affrules.RegisterMarket(affrules.Market{Code: code, Zone: "UTC", Currency: "USD", MinorUnit: 2, Channels: []affrules.Channel{affrules.Email}}))
		}
	}
	require.Greater(t, len(affrules.Markets()), 300)
	strict := eligibility.SeedThresholds()
	strict.MinStoreRating = dec("4")
	p := eligibility.DefaultPolicy()
	var err error
	for _, m := range []affrules.MarketCode{"AA", "KY", "QZY", affrules.UK} {
		p, err = p.WithOverride(m, time.Time{}, strict)
		require.NoError(t, err)
	}
	e, err := eligibility.New(p)
	require.NoError(t, err)
	for _, m := range []affrules.MarketCode{"AA", "KY", "QZY", "QZA", "CE", affrules.UK, affrules.TH} {
		s := goodShop(m)
		s.StoreRating = dec("3")
		r, err := e.Shop(s, t0)
		require.NoError(t, err)
		_, over := p.Markets[m]
		require.Equal(t, !over, r.Eligible(), "market %s, override %v", m, over)
	}
}
