package eligibility_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/eligibility"
)

// ELG-6: ELG-1, ELG-2 and deactivation disqualify the shop, and with it its products; ELG-3,
// ELG-4, freezing and delisting only the product. Each result says which, and names the shop.
func TestScope(t *testing.T) {
	e := eligibility.MustNew(eligibility.DefaultPolicy())
	shopOf := func(mod func(*eligibility.Shop)) eligibility.Result {
		t.Helper()
		s := goodShop(affrules.UK)
		mod(&s)
		r, err := e.Shop(s, t0)
		require.NoError(t, err)
		return r
	}
	good := shopOf(func(*eligibility.Shop) {})
	lowRating := shopOf(func(s *eligibility.Shop) { s.StoreRating = dec("2.4") })
	counterfeit := shopOf(func(s *eligibility.Shop) { s.LastCounterfeitViolation = t0.Add(-time.Hour) })
	deactivated := shopOf(func(s *eligibility.Shop) { s.Deactivated = true })
	for _, tc := range []struct {
		name  string
		shop  eligibility.Result
		state eligibility.State
	}{
		{"eligible", good, eligibility.Eligible},
		{"ELG-2", lowRating, eligibility.TemporarilyDisqualified},
		{"ELG-1", counterfeit, eligibility.TemporarilyDisqualified},
		{"deactivated", deactivated, eligibility.PermanentlyDisqualified},
	} {
		want := eligibility.ShopScope
		if tc.state == eligibility.Eligible {
			want = eligibility.NoScope
		}
		assert.Equal(t, tc.state, tc.shop.State, tc.name)
		assert.Equal(t, want, tc.shop.Scope, tc.name)
		assert.Equal(t, "shop-1", tc.shop.ShopID, tc.name)
		assert.Equal(t, tc.state == eligibility.PermanentlyDisqualified, tc.shop.Permanent(), tc.name)
	}

	product := func(shop eligibility.Result, mod func(*eligibility.Product)) eligibility.Result {
		t.Helper()
		p := goodProduct(affrules.UK, affrules.Electronics)
		mod(&p)
		r, err := e.Product(p, shop, t0)
		require.NoError(t, err)
		return r
	}
	fine := func(*eligibility.Product) {}
	elg3 := func(p *eligibility.Product) { p.NegativeReviewOrders = 10 }
	elg4 := func(p *eligibility.Product) { p.SellerFaultRefunds = 20; p.RefundCases = 20 } // 2%: not below 2%
	frozen := func(p *eligibility.Product) { p.Frozen = true }
	delisted := func(p *eligibility.Product) { p.Delisted = true }
	fewReviews := func(p *eligibility.Product) { p.Reviews = 1; p.NegativeReviewOrders = 1 }
	for _, tc := range []struct {
		name  string
		shop  eligibility.Result
		mod   func(*eligibility.Product)
		state eligibility.State
		scope eligibility.Scope
	}{
		{"eligible", good, fine, eligibility.Eligible, eligibility.NoScope},
		{"not applicable is no disqualification", good, fewReviews, eligibility.Eligible, eligibility.NoScope},
		{"ELG-3: the product only", good, elg3, eligibility.TemporarilyDisqualified, eligibility.ProductScope},
		{"ELG-4: the product only", good, elg4, eligibility.TemporarilyDisqualified, eligibility.ProductScope},
		{"frozen: the product only", good, frozen, eligibility.PermanentlyDisqualified, eligibility.ProductScope},
		{"delisted: the product only", good, delisted, eligibility.PermanentlyDisqualified, eligibility.ProductScope},
		{"ELG-2: the shop", lowRating, fine, eligibility.TemporarilyDisqualified, eligibility.ShopScope},
		{"ELG-1: the shop", counterfeit, fine, eligibility.TemporarilyDisqualified, eligibility.ShopScope},
		{"ELG-1 and ELG-3: the shop accounts for it", counterfeit, elg3, eligibility.TemporarilyDisqualified, eligibility.ShopScope},
		{"deactivated: the shop, permanently", deactivated, fine, eligibility.PermanentlyDisqualified, eligibility.ShopScope},
		{"deactivated and frozen: the shop", deactivated, frozen, eligibility.PermanentlyDisqualified, eligibility.ShopScope},
		{"frozen in a paused shop: the product's permanence", lowRating, frozen, eligibility.PermanentlyDisqualified, eligibility.ProductScope},
	} {
		r := product(tc.shop, tc.mod)
		assert.Equal(t, tc.state, r.State, tc.name)
		assert.Equal(t, tc.scope, r.Scope, tc.name)
		assert.Equal(t, "p-1", r.ID, tc.name)
		assert.Equal(t, "shop-1", r.ShopID, tc.name)
		assert.Equal(t, tc.state == eligibility.PermanentlyDisqualified, r.Permanent(), tc.name)
	}
}
