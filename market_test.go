package affrules_test

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
)

// MKT-1, INV-5: the seven default markets, their zones, payout currencies and minor units, and
// invitation contact channels (UK and SG by interpretation).
func TestMKT1DefaultMarkets(t *testing.T) {
	E, W, P := affrules.Email, affrules.WhatsApp, affrules.Phone
	want := []affrules.Market{
		{Code: affrules.UK, Zone: "Europe/London", Currency: "GBP", MinorUnit: 2, Channels: []affrules.Channel{E, W, P}},
		{Code: affrules.ID, Zone: "Asia/Jakarta", Currency: "IDR", MinorUnit: 0, Channels: []affrules.Channel{W, E, P}},
		{Code: affrules.MY, Zone: "Asia/Kuala_Lumpur", Currency: "MYR", MinorUnit: 2, Channels: []affrules.Channel{W, E, P}},
		{Code: affrules.VN, Zone: "Asia/Ho_Chi_Minh", Currency: "VND", MinorUnit: 0, Channels: []affrules.Channel{affrules.Zalo, E, P}},
		{Code: affrules.TH, Zone: "Asia/Bangkok", Currency: "THB", MinorUnit: 2, Channels: []affrules.Channel{affrules.Line, E, P}},
		{Code: affrules.PH, Zone: "Asia/Manila", Currency: "PHP", MinorUnit: 2, Channels: []affrules.Channel{affrules.Viber, E, P}},
		{Code: affrules.SG, Zone: "Asia/Singapore", Currency: "SGD", MinorUnit: 2, Channels: []affrules.Channel{E, W, P}},
	}
	for _, w := range want {
		t.Run(string(w.Code), func(t *testing.T) {
			got, err := affrules.LookupMarket(w.Code)
			require.NoError(t, err)
			if diff := cmp.Diff(w, got, cmpopts.IgnoreUnexported(affrules.Market{})); diff != "" {
				t.Errorf("LookupMarket(%s) (-want +got):\n%s", w.Code, diff)
			}
			assert.Equal(t, w.Zone, got.Location().String(), "the zone is loaded")
			assert.Equal(t, string(w.Code), got.String())
			assert.True(t, got.HasChannel(affrules.Phone), "INV-5: Phone is offered everywhere")
			assert.True(t, got.HasChannel(affrules.Email))
			for _, c := range []affrules.Channel{affrules.Zalo, affrules.Viber, affrules.Line, affrules.WhatsApp} {
				assert.Equal(t, slices.Contains(w.Channels, c), got.HasChannel(c), "HasChannel(%s)", c)
			}
		})
	}

	// Markets lists them sorted by code; a host may have registered more (other tests here do).
	all := affrules.Markets()
	assert.True(t, slices.IsSortedFunc(all, func(a, b affrules.Market) int { return strings.Compare(string(a.Code), string(b.Code)) }))
	for _, w := range want {
		i := slices.IndexFunc(all, func(m affrules.Market) bool { return m.Code == w.Code })
		if assert.GreaterOrEqual(t, i, 0, "Markets() lacks %s", w.Code) {
			assert.Equal(t, w.Zone, all[i].Location().String())
		}
	}
}

func TestLookupMarketUnknown(t *testing.T) {
	_, err := affrules.LookupMarket("XX")
	require.Error(t, err)
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
	assert.Equal(t, "affrules: market XX: unknown market", err.Error())
	var fe *affrules.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "XX", fe.Value)

	_, err = affrules.LookupMarket("uk")
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket, "codes are case-sensitive")
	_, err = affrules.LookupMarket("")
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket)
}

// A market handed out by LookupMarket or Markets is the caller's copy: changing its channels does
// not change the registry.
func TestLookupMarketReturnsCopy(t *testing.T) {
	th, err := affrules.LookupMarket(affrules.TH)
	require.NoError(t, err)
	th.Channels[0] = affrules.WhatsApp
	for _, m := range affrules.Markets() {
		if m.Code == affrules.TH {
			m.Channels[1] = affrules.Viber
		}
	}
	again, err := affrules.LookupMarket(affrules.TH)
	require.NoError(t, err)
	assert.Equal(t, []affrules.Channel{affrules.Line, affrules.Email, affrules.Phone}, again.Channels)
}

// MKT-1: markets are data; a host registers another without changing the library.
func TestRegisterMarket(t *testing.T) {
	ca := affrules.Market{Code: "CA", Zone: "America/Toronto", Currency: "CAD", MinorUnit: 2, Channels: []affrules.Channel{affrules.Email, affrules.Phone}}
	require.NoError(t, affrules.RegisterMarket(ca))
	got, err := affrules.LookupMarket("CA")
	require.NoError(t, err)
	if diff := cmp.Diff(ca, got, cmpopts.IgnoreUnexported(affrules.Market{})); diff != "" {
		t.Errorf("LookupMarket(CA) (-want +got):\n%s", diff)
	}
	assert.Equal(t, "America/Toronto", got.Location().String())
	// Its calendar works like any other: 2026-03-08 is a 23-hour day in Toronto.
	assert.Equal(t, 23*time.Hour, got.Day(time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)).Duration())

	require.NoError(t, affrules.RegisterMarket(ca), "registering identical data again is a no-op")
	copied := ca
	copied.Channels = slices.Clone(ca.Channels)
	require.NoError(t, affrules.RegisterMarket(copied))

	changes := map[string]func(m *affrules.Market){
		"zone":       func(m *affrules.Market) { m.Zone = "America/Vancouver" },
		"currency":   func(m *affrules.Market) { m.Currency = "USD" },
		"minor unit": func(m *affrules.Market) { m.MinorUnit = 0 },
		"channels":   func(m *affrules.Market) { m.Channels = []affrules.Channel{affrules.Phone, affrules.Email} },
		"no channel": func(m *affrules.Market) { m.Channels = nil },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			different := ca
			different.Channels = slices.Clone(ca.Channels)
			change(&different)
			err := affrules.RegisterMarket(different)
			require.Error(t, err)
			assert.Equal(t, "affrules: market CA: is already registered with different data", err.Error())
			still, err := affrules.LookupMarket("CA")
			require.NoError(t, err)
			if diff := cmp.Diff(ca, still, cmpopts.IgnoreUnexported(affrules.Market{})); diff != "" {
				t.Errorf("a refused registration changed the market (-want +got):\n%s", diff)
			}
		})
	}

	// A default market cannot be redefined either.
	uk := market(t, affrules.UK)
	uk.MinorUnit = 0
	assert.Error(t, affrules.RegisterMarket(uk))
	assert.Equal(t, int32(2), market(t, affrules.UK).MinorUnit)
}

// RegisterMarket and NewMarket report a bad field as a FieldError naming it.
func TestRegisterMarketInvalid(t *testing.T) {
	ok := affrules.Market{Code: "ZZ", Zone: "Asia/Tokyo", Currency: "JPY", MinorUnit: 0, Channels: []affrules.Channel{affrules.Email}}
	tests := []struct {
		name    string
		change  func(m *affrules.Market)
		field   string
		wantErr error
	}{
		{"empty code", func(m *affrules.Market) { m.Code = "" }, "market.code", nil},
		{"lower-case code", func(m *affrules.Market) { m.Code = "zz" }, "market.code", nil},
		{"mixed-case code", func(m *affrules.Market) { m.Code = "Zz" }, "market.code", nil},
		{"one-letter code", func(m *affrules.Market) { m.Code = "Z" }, "market.code", nil},
		{"nine-letter code", func(m *affrules.Market) { m.Code = "ZZZZZZZZZ" }, "market.code", nil},
		{"code with a space", func(m *affrules.Market) { m.Code = "ZZ " }, "market.code", nil},
		{"code with a NUL", func(m *affrules.Market) { m.Code = "ZZ\x00" }, "market.code", nil},
		{"code with an invisible character", func(m *affrules.Market) { m.Code = "Z\u200bZ" }, "market.code", nil},
		{"code with a hyphen", func(m *affrules.Market) { m.Code = "Z-Z" }, "market.code", nil},
		{"unknown zone", func(m *affrules.Market) { m.Zone = "Asia/Atlantis" }, "market[ZZ].zone", nil},
		{"empty zone", func(m *affrules.Market) { m.Zone = "" }, "market[ZZ].zone", nil},
		{"Local is not a zone", func(m *affrules.Market) { m.Zone = "Local" }, "market[ZZ].zone", nil},
		{"zone path", func(m *affrules.Market) { m.Zone = "../zoneinfo/UTC" }, "market[ZZ].zone", nil},
		{"lower-case currency", func(m *affrules.Market) { m.Currency = "jpy" }, "market[ZZ].currency", nil},
		{"short currency", func(m *affrules.Market) { m.Currency = "JP" }, "market[ZZ].currency", nil},
		{"long currency", func(m *affrules.Market) { m.Currency = "JPYN" }, "market[ZZ].currency", nil},
		{"currency with digit", func(m *affrules.Market) { m.Currency = "JP1" }, "market[ZZ].currency", nil},
		{"negative minor unit", func(m *affrules.Market) { m.MinorUnit = -1 }, "market[ZZ].minor_unit", affrules.ErrOutOfRange},
		{"minor unit above 4", func(m *affrules.Market) { m.MinorUnit = 5 }, "market[ZZ].minor_unit", affrules.ErrOutOfRange},
		{"empty channel", channels(affrules.Email, ""), "market[ZZ].channels[1]", nil},
		{"duplicate channel", channels(affrules.Email, affrules.Phone, affrules.Email), "market[ZZ].channels[2]", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			m.Channels = slices.Clone(ok.Channels)
			tt.change(&m)
			err := affrules.RegisterMarket(m)
			require.Error(t, err)
			var fe *affrules.FieldError
			require.True(t, errors.As(err, &fe), "%v is not a FieldError", err)
			assert.Equal(t, "affrules", fe.Pkg)
			assert.Equal(t, tt.field, fe.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "affrules: "+tt.field+" "), "message %q names the field", err)
			if tt.wantErr != nil {
				assert.ErrorIs(t, err, tt.wantErr)
			}
			_, err = affrules.NewMarket(m.Code, m.Zone, m.Currency, m.MinorUnit, m.Channels...)
			assert.Error(t, err, "NewMarket checks the same")
			_, err = affrules.LookupMarket(m.Code)
			assert.ErrorIs(t, err, affrules.ErrUnknownMarket, "nothing was registered")
		})
	}
	m, err := affrules.NewMarket(ok.Code, ok.Zone, ok.Currency, ok.MinorUnit, ok.Channels...)
	require.NoError(t, err, "the base case is valid")
	assert.Equal(t, "Asia/Tokyo", m.Location().String())
	_, err = affrules.LookupMarket("ZZ")
	assert.ErrorIs(t, err, affrules.ErrUnknownMarket, "NewMarket does not register")
}

// channels returns a change that sets a market's channels.
func channels(cs ...affrules.Channel) func(m *affrules.Market) {
	return func(m *affrules.Market) { m.Channels = cs }
}

// A Market built as a literal (or decoded from JSON) loads its zone on use, and falls back to UTC
// for a zone that is not an IANA name, never to the machine's local zone (MKT-6).
func TestMarketLocationOfLiteral(t *testing.T) {
	assert.Equal(t, "Asia/Bangkok", affrules.Market{Zone: "Asia/Bangkok"}.Location().String())
	assert.Equal(t, time.UTC, affrules.Market{Zone: "Asia/Atlantis"}.Location())
	assert.Equal(t, time.UTC, affrules.Market{}.Location())
	assert.Equal(t, time.UTC, affrules.Market{Zone: "Local"}.Location())
}

// Lookups and registrations may run concurrently (run with -race).
func TestMarketRegistryConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			code := affrules.MarketCode(fmt.Sprintf("C%d", i%4))
			m := affrules.Market{Code: code, Zone: "Asia/Seoul", Currency: "KRW", MinorUnit: 0, Channels: []affrules.Channel{affrules.Email}}
			assert.NoError(t, affrules.RegisterMarket(m))
			got, err := affrules.LookupMarket(code)
			if assert.NoError(t, err) {
				assert.Equal(t, "Asia/Seoul", got.Location().String())
			}
			_, err = affrules.LookupMarket(affrules.TH)
			assert.NoError(t, err)
			assert.NotEmpty(t, affrules.Markets())
		})
	}
	wg.Wait()
}

// noSystemTZEnv marks the re-executed test binary that runs with the system zone database hidden.
const noSystemTZEnv = "AFFRULES_TEST_NO_SYSTEM_TZDATA"

// MKT-1: market zones load on a machine without a system time-zone database, because the package
// imports time/tzdata.
//
// time.LoadLocation looks in $ZONEINFO, then in the system directories (/usr/share/zoneinfo and
// three others on Unix), then in the embedded copy that time/tzdata registers, then in
// $GOROOT/lib/time/zoneinfo.zip. Pointing ZONEINFO at an empty directory proves nothing, since
// the system directories are still searched. So the test re-executes itself under `unshare -rm`
// (a private user and mount namespace, no root needed where unprivileged user namespaces are
// allowed), bind-mounts an empty directory over every system zone directory that exists, and sets
// GOROOT to a directory without lib/time: the child then checks that nothing is left to find and
// that every market zone still loads, which only the embedded copy can provide. Where unshare is
// unavailable or refused, the test is skipped and the time/tzdata import in market.go remains the
// guarantee.
func TestMKT1ZonesLoadWithoutSystemTZData(t *testing.T) {
	if os.Getenv(noSystemTZEnv) == "1" {
		checkZonesWithoutSystemTZData(t)
		return
	}
	if runtime.GOOS != "linux" {
		t.Skip("hiding the system zone database needs Linux mount namespaces")
	}
	unshare, err := exec.LookPath("unshare")
	if err != nil {
		t.Skip("unshare(1) not found: cannot hide the system zone database")
	}
	if out, err := exec.Command(unshare, "-rm", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare -rm refused (%v: %s): cannot hide the system zone database", err, out)
	}
	empty := t.TempDir()
	var script strings.Builder
	script.WriteString("set -e\n")
	for _, dir := range zoneDirs {
		if _, err := os.Stat(dir); err == nil {
			fmt.Fprintf(&script, "mount --bind %q %q\n", empty, dir)
		}
	}
	script.WriteString(`exec "$0" -test.run='^TestMKT1ZonesLoadWithoutSystemTZData$' -test.count=1 -test.v` + "\n")
	cmd := exec.Command(unshare, "-rm", "sh", "-c", script.String(), os.Args[0])
	cmd.Env = append(os.Environ(), noSystemTZEnv+"=1", "ZONEINFO=", "GOROOT="+empty)
	out, err := cmd.CombinedOutput()
	if err != nil && strings.Contains(string(out), "mount:") {
		t.Skipf("cannot bind-mount over the zone directories: %s", out)
	}
	require.NoError(t, err, "child failed:\n%s", out)
	require.Contains(t, string(out), "--- PASS: TestMKT1ZonesLoadWithoutSystemTZData", "the child ran the check:\n%s", out)
}

// zoneDirs are the system zone directories time.LoadLocation searches on Unix.
var zoneDirs = []string{"/usr/share/zoneinfo", "/usr/share/lib/zoneinfo", "/usr/lib/locale/TZ", "/etc/zoneinfo"}

func checkZonesWithoutSystemTZData(t *testing.T) {
	// The premise: no zone file is reachable other than through the embedded copy.
	for _, dir := range zoneDirs {
		_, err := os.Stat(dir + "/Europe/London")
		require.Error(t, err, "%s is still visible", dir)
	}
	goroot := os.Getenv("GOROOT") // the parent set it; time.LoadLocation's last resort reads it
	require.NotEmpty(t, goroot)
	_, err := os.Stat(goroot + "/lib/time/zoneinfo.zip")
	require.Error(t, err, "$GOROOT/lib/time/zoneinfo.zip is still visible")

	for _, code := range []affrules.MarketCode{affrules.UK, affrules.ID, affrules.MY, affrules.VN, affrules.TH, affrules.PH, affrules.SG} {
		m := market(t, code)
		assert.Equal(t, m.Zone, m.Location().String())
		loc, err := time.LoadLocation(m.Zone)
		require.NoError(t, err)
		assert.Equal(t, m.Zone, loc.String())
	}
	// The loaded data is real: London's spring-forward day is 23 hours.
	assert.Equal(t, 23*time.Hour, market(t, affrules.UK).Day(time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC)).Duration())
	// A host-registered market loads the same way.
	require.NoError(t, affrules.RegisterMarket(affrules.Market{Code: "NZ", Zone: "Pacific/Auckland", Currency: "NZD", MinorUnit: 2}))
}

// MKT-1, MKT-6: a market's zone is written as an IANA name, so that the same market registers on
// every host: a name a host's zone directory resolves as a path ("America//New_York",
// "posixrules", "right/UTC") but the embedded zone database does not is refused.
func TestNewMarketZoneNameIANA(t *testing.T) {
	for _, zone := range []string{"America//New_York", "./UTC", "posixrules", "right/UTC", "posix/Asia/Singapore", "Local"} {
		_, err := affrules.NewMarket("ZN", zone, "USD", 2)
		if err == nil || !strings.Contains(err.Error(), "market[ZN].zone") {
			t.Errorf("%q: %v", zone, err)
		}
	}
	if _, err := affrules.NewMarket("ZN", "America/New_York", "USD", 2); err != nil {
		t.Error(err)
	}
}
