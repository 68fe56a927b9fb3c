package affrules_test

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/collabplus"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/level"
	"github.com/affrules/affrules/sample"
)

// No error carries megabytes of hostile input, whatever package finds the problem and wherever
// the value sits (a policy setting, a map key, an unknown key, an evaluator's input): a value
// over 300 bytes is quoted by its first 64 characters and its length, and so are long keys in a
// field's path, and a document repeating a bad key is listed up to 100 problems.
func TestErrorsBounded(t *testing.T) {
	big := strings.Repeat("x", 100_000)
	q := `"` + big + `"`
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	parse := map[string]func([]byte) error{
		"eligibility": func(b []byte) error { _, err := eligibility.ParsePolicy(b); return err },
		"level":       func(b []byte) error { _, err := level.ParsePolicy(b); return err },
		"invitation":  func(b []byte) error { _, err := invitation.ParsePolicy(b); return err },
		"commission":  func(b []byte) error { _, err := commission.ParsePolicy(b); return err },
		"collabplus":  func(b []byte) error { _, err := collabplus.ParsePolicy(b); return err },
		"sample":      func(b []byte) error { _, err := sample.ParsePolicy(b); return err },
		"campaign":    func(b []byte) error { _, err := campaign.ParsePolicy(b); return err },
	}
	cases := map[string]error{
		"level tie_type":          parse["level"]([]byte(`{"tie_type":` + q + `}`)),
		"sample over_quantity":    parse["sample"]([]byte(`{"over_quantity":` + q + `}`)),
		"collabplus tie_breaks":   parse["collabplus"]([]byte(`{"tie_breaks":[` + q + `]}`)),
		"invitation channel":      parse["invitation"]([]byte(`{"channels":{"TH":[` + q + `]}}`)),
		"invitation channels key": parse["invitation"]([]byte(`{"channels":{` + q + `:["email"]}}`)),
		"campaign markets":        parse["campaign"]([]byte(`{"markets":[` + q + `]}`)),
		"eligibility unknown key": parse["eligibility"]([]byte(`{` + q + `:1}`)),
		"eligibility markets key": parse["eligibility"]([]byte(`{"markets":{` + q + `:[]}}`)),
	}
	bad := strings.TrimSuffix(strings.Repeat(`"bad",`, 20_000), ",")
	cases["invitation 20,000 bad channels"] = parse["invitation"]([]byte(`{"channels":{"TH":[` + bad + `]}}`))
	cases["sample 20,000 unknown markets"] = parse["sample"]([]byte(`{"markets":[` + bad + `]}`))
	for name, p := range parse {
		cases[name+" repeated unknown key"] = p([]byte("{" + strings.Repeat(`"zz":1,`, 10_000) + `"zz":1}`))
		cases[name+" repeated key"] = p([]byte("{" + strings.Repeat(`"markets":null,`, 10_000) + `"markets":null}`))
	}
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	_, cases["eligibility shop market"] = e.Shop(eligibility.Shop{ID: "s", Market: affrules.MarketCode(big), StoreRating: decimal.NewFromInt(4)}, at)
	shop, err := e.Shop(eligibility.Shop{ID: "s", Market: affrules.TH, StoreRating: decimal.NewFromInt(4)}, at)
	if err != nil {
		t.Fatal(err)
	}
	_, cases["eligibility product category"] = e.Product(eligibility.Product{ID: "p", ShopID: "s", Market: affrules.TH, Category: affrules.Category(big)}, shop, at)
	_, cases["eligibility product ID"] = e.Product(eligibility.Product{ID: big, ShopID: "s", Market: affrules.TH, Category: "cat-z"}, shop, at)
	_, cases["level performance market"] = level.NewPerformance(affrules.MarketCode(big), affrules.NewMonth(2026, time.February), level.Totals{})
	_, cases["market lookup"] = affrules.LookupMarket(affrules.MarketCode(big))
	_, cases["commission order market"] = commission.MustNew(commission.DefaultPolicy()).Compute(&commission.Book{},
		commission.Order{ID: "o", Creator: "c", Product: "p", Market: affrules.MarketCode(big), OrderCount: 1}, at)
	for name, err := range cases {
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if n := len(err.Error()); n > 30_000 {
			t.Errorf("%s: an error of %d bytes: %.300s", name, n, err)
		}
		if strings.Contains(err.Error(), strings.Repeat("x", 300)) {
			t.Errorf("%s: the value is quoted whole: %.300s", name, err)
		}
	}
}
