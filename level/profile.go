package level

import (
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// MaxLabels is the most main industry labels a Marketplace profile shows (LVL-12, seed 001:
// "main industry label (0-3)"). It is a fact of the seed, not policy.
const MaxLabels = 3

// GPM is gross merchandise value per 1,000 shopping-cart exposures (LVL-12): GMV ÷ Exposures ×
// 1,000, for a creator's videos or LIVEs. It is held exactly as the two numbers it comes from, so
// comparing GPMs ([GPM.Cmp]) rounds nothing; [GPM.Round] rounds once, at the end, for display
// (MKT-4). Zero exposures mean no data: GPM is undefined without them, whatever the GMV, and such
// a GPM compares below every GPM with data, so a filter on GPM never matches it (ELG-8). A GPM
// that [Profile.Validate] refuses (a negative or out-of-range GMV, negative exposures) has no data
// either, so that its methods stay fast for any value built in code. The zero GPM has no data.
type GPM struct {
	GMV       decimal.Decimal `json:"gmv"`       // GMV attributed to the exposures, in the market's currency
	Exposures int64           `json:"exposures"` // shopping-cart exposures
}

// maxGPMDigits bounds a GPM's GMV: below 10^18, and written with no more than 18 decimal places
// and an exponent of at most 18, so that exact arithmetic on it stays small.
const maxGPMDigits = 18

// HasData reports whether g has data: at least one exposure, and a GMV that is not negative and
// within range (below 10^18, with at most 18 decimal places).
func (g GPM) HasData() bool { return g.Exposures > 0 && gpmGMVInRange(g.GMV) }

// gpmGMVInRange reports whether d is a GPM's GMV [checkGPM] accepts. It reads d's exponent first,
// so it is fast for any d.
func gpmGMVInRange(d decimal.Decimal) bool {
	e := d.Exponent()
	if e > maxGPMDigits || e < -maxGPMDigits || d.Sign() < 0 {
		return false
	}
	return d.IsZero() || int64(d.NumDigits())+int64(e) <= maxGPMDigits
}

// parts returns g's GMV × 1,000 as num × 10^exp with num ≥ 0, for a GPM that passed [checkGPM].
func (g GPM) parts() (num *big.Int, exp int32) {
	num = new(big.Int).Mul(g.GMV.Coefficient(), big.NewInt(1_000))
	return num, g.GMV.Exponent()
}

// Rat returns g exactly, as a fraction, and true; or nil and false if g has no data.
func (g GPM) Rat() (*big.Rat, bool) {
	if !g.HasData() {
		return nil, false
	}
	num, exp := g.parts()
	den := big.NewInt(g.Exposures)
	if exp >= 0 {
		num.Mul(num, pow10(exp))
	} else {
		den.Mul(den, pow10(-exp))
	}
	return new(big.Rat).SetFrac(num, den), true
}

// Round returns g rounded once, in mode, to places decimal places (clamped to 0 … 18), and true;
// or zero and false if g has no data. Pass the market currency's minor unit to display it as
// money (MKT-4).
func (g GPM) Round(places int32, mode affrules.RoundingMode) (decimal.Decimal, bool) {
	if !g.HasData() {
		return decimal.Zero, false
	}
	places = min(max(places, 0), maxGPMDigits)
	num, exp := g.parts()
	den := big.NewInt(g.Exposures)
	if shift := exp + places; shift >= 0 {
		num.Mul(num, pow10(shift))
	} else {
		den.Mul(den, pow10(-shift))
	}
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	twice := r.Lsh(r, 1)
	switch mode {
	case affrules.Down:
	case affrules.HalfEven:
		if c := twice.Cmp(den); c > 0 || c == 0 && q.Bit(0) == 1 {
			q.Add(q, big.NewInt(1))
		}
	default: // HalfUp, and any unknown mode as RoundingMode.Round does
		if twice.Cmp(den) >= 0 {
			q.Add(q, big.NewInt(1))
		}
	}
	return decimal.NewFromBigInt(q, -places), true
}

// Cmp compares g and o exactly: -1 if g is lower, 0 if equal, +1 if higher. A GPM without data
// is lower than every GPM with data; two without data are equal.
func (g GPM) Cmp(o GPM) int {
	switch {
	case !g.HasData() && !o.HasData():
		return 0
	case !g.HasData():
		return -1
	case !o.HasData():
		return 1
	}
	// g.GMV / g.Exposures vs o.GMV / o.Exposures, both denominators positive.
	return g.GMV.Mul(decimal.NewFromInt(o.Exposures)).Cmp(o.GMV.Mul(decimal.NewFromInt(g.Exposures)))
}

// String returns g to two decimal places, rounded half-up, or "no data".
func (g GPM) String() string {
	d, ok := g.Round(2, affrules.HalfUp)
	if !ok {
		return "no data"
	}
	return d.StringFixed(2)
}

func pow10(n int32) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// checkGPM reports a GPM, named field, with negative or out-of-range numbers.
func checkGPM(l *fielderr.List, field string, g GPM) {
	if bounds.Decimal(pkg, "", g.GMV) != nil { // the field named only on error, which allocates
		l.Append(bounds.Decimal(pkg, field+".gmv", g.GMV)) // never printing it: that could take minutes
	} else if g.GMV.Sign() < 0 {
		l.Add(field+".gmv", g.GMV, "%w", affrules.ErrNegative)
	} else if !gpmGMVInRange(g.GMV) {
		l.Add(field+".gmv", g.GMV, "must be below 10^%d with at most %d decimal places: %w", maxGPMDigits, maxGPMDigits, affrules.ErrOutOfRange)
	}
	if g.Exposures < 0 {
		l.Add(field+".exposures", g.Exposures, "%w", affrules.ErrNegative)
	}
}

// Followers is a creator's follower profile (LVL-12): how many, and how they split by age band
// and by gender, each as shares of the followers the host knows them for (keys are the host's,
// such as "18-24" or "female").
type Followers struct {
	Count  int64                    `json:"count"`
	Age    map[string]affrules.Rate `json:"age,omitempty"`
	Gender map[string]affrules.Rate `json:"gender,omitempty"`
}

func checkShares(l *fielderr.List, field string, shares map[string]affrules.Rate) {
	sum := decimal.Zero
	for k, share := range shares {
		if k == "" { // a map has one "" key at most: the report does not depend on the order
			l.Add(field, `""`, "a share needs a key")
		}
		sum = sum.Add(share.Decimal())
	}
	if sum.GreaterThan(decimal.NewFromInt(1)) {
		l.Add(field, sum.Shift(2).String()+"%", "shares add up to more than 100%%: %w", affrules.ErrOutOfRange)
	}
}

// Profile is what the Affiliate Marketplace knows of a creator for their profile (LVL-11,
// LVL-12), as the host supplies it. [Evaluator.ProfileView] checks it and returns what a viewer
// sees.
type Profile struct {
	Creator string `json:"creator"`
	// Kind is link-share only or affiliate creator (LVL-11); sellers choose by it.
	Kind Kind `json:"kind"`
	// DataAuthorised reports whether the creator authorised data sharing (ELG-8): without it,
	// label icons and performance data are hidden from everyone but the creator.
	DataAuthorised bool              `json:"data_authorised"`
	Category       affrules.Category `json:"category,omitempty"` // first-level category; "" if none
	// Labels are the main industry labels, at most [MaxLabels], each non-empty and listed once.
	Labels []string `json:"labels,omitempty"`
	// LabelIcons are the label icons the profile displays (the host's keys); hidden without
	// data authorisation.
	LabelIcons    []string        `json:"label_icons,omitempty"`
	Rating        decimal.Decimal `json:"rating"`         // e-commerce rating, on the host's scale
	ProductVolume int64           `json:"product_volume"` // product volume, as the host counts it
	Followers     Followers       `json:"followers"`
	// Video and Live are the GMV and shopping-cart exposures of the creator's videos and LIVEs,
	// over the host's window: their GPM is performance data.
	Video GPM `json:"video"`
	Live  GPM `json:"live"`
}

// Validate reports every problem in p at once, each a *[affrules.FieldError]: a creator
// [Record.Validate] refuses, a kind
// out of range, more than [MaxLabels] labels (then only the first [MaxLabels] are checked
// further), an empty or repeated label, an empty label icon (the first one), a negative rating
// or one outside the library's decimal bounds (an exponent within ±28, at most 38 digits,
// checked first), a negative product volume or follower count, follower shares with an empty key
// or adding up to more than 100%, and a GPM with a negative or out-of-range GMV or negative
// exposures. Its time grows linearly with the size of p, whatever p holds.
func (p Profile) Validate() error {
	l := fielderr.For(pkg)
	if !bounds.IDOK(p.Creator) {
		l.Append(bounds.ID(pkg, "profile.creator", p.Creator))
	}
	if p.Kind > AffiliateCreator {
		l.Add("profile.kind", int(p.Kind), "%w", affrules.ErrOutOfRange)
	}
	labels := p.Labels
	if len(labels) > MaxLabels {
		l.Add("profile.labels", len(labels), "a profile shows at most %d main industry labels (LVL-12): %w", MaxLabels, affrules.ErrOutOfRange)
		labels = labels[:MaxLabels] // the rest unchecked: a million labels takes no longer than four
	}
	for i, s := range labels {
		switch {
		case s == "":
			l.Add(fmt.Sprintf("profile.labels[%d]", i), `""`, "must not be empty")
		case slices.Contains(p.Labels[:i], s):
			l.Add(fmt.Sprintf("profile.labels[%d]", i), strconv.Quote(s), "is listed twice")
		}
	}
	if i := slices.Index(p.LabelIcons, ""); i >= 0 { // the first only: a million empty icons are one problem
		l.Add(fmt.Sprintf("profile.label_icons[%d]", i), `""`, "must not be empty")
	}
	if err := bounds.Decimal(pkg, "profile.rating", p.Rating); err != nil {
		l.Append(err)
	} else if p.Rating.Sign() < 0 {
		l.Add("profile.rating", p.Rating, "%w", affrules.ErrNegative)
	}
	if p.ProductVolume < 0 {
		l.Add("profile.product_volume", p.ProductVolume, "%w", affrules.ErrNegative)
	}
	if p.Followers.Count < 0 {
		l.Add("profile.followers.count", p.Followers.Count, "%w", affrules.ErrNegative)
	}
	checkShares(l, "profile.followers.age", p.Followers.Age)
	checkShares(l, "profile.followers.gender", p.Followers.Gender)
	checkGPM(l, "profile.video", p.Video)
	checkGPM(l, "profile.live", p.Live)
	return l.Err()
}

// ProfileView is what one viewer sees of a creator's Marketplace profile (LVL-12). When the
// creator has not authorised data sharing and the viewer is not the creator, Data is denied with
// an LVL-12 reason and LabelIcons, Video and Live are empty (no data), as are the follower age
// and gender distribution under [ProfilePolicy].HideAudience; the rest is always shown.
type ProfileView struct {
	Creator       string            `json:"creator"`
	Kind          Kind              `json:"kind"`
	Category      affrules.Category `json:"category,omitempty"`
	Labels        []string          `json:"labels,omitempty"`
	LabelIcons    []string          `json:"label_icons,omitempty"`
	Rating        decimal.Decimal   `json:"rating"`
	ProductVolume int64             `json:"product_volume"`
	Followers     Followers         `json:"followers"`
	Video         GPM               `json:"video_gpm"`
	Live          GPM               `json:"live_gpm"`
	// Data says whether label icons and performance data are shown (ELG-8).
	Data affrules.Decision `json:"data"`
}

// ProfileView returns what viewer sees of the Marketplace profile p (LVL-12): its first-level
// category, main industry labels, e-commerce rating, product volume, follower count and kind
// always; its label icons, GPM per video and per LIVE and, under [ProfilePolicy].HideAudience
// (default), its follower age and gender distribution only if the creator authorised data
// sharing or the viewer is the creator themself (ELG-8). Any other viewer, of any role or none,
// is held to the creator's authorisation: who may use the Marketplace at all is decided by
// eligibility and invitation (ELG-7, INV-12). A profile that fails [Profile.Validate] is an
// error, its problems all reported; more than [MaxLabels] labels is one. The view shares nothing
// with p. The Data decision is built once, in [New], and shared: do not modify its reasons in
// place.
func (e *Evaluator) ProfileView(p Profile, viewer Viewer) (ProfileView, error) {
	if err := e.ready("ProfileView"); err != nil {
		return ProfileView{}, err
	}
	if err := p.Validate(); err != nil {
		return ProfileView{}, err
	}
	v := ProfileView{Creator: p.Creator, Kind: p.Kind, Category: p.Category, Labels: slices.Clone(p.Labels),
		Rating: p.Rating, ProductVolume: p.ProductVolume, Followers: Followers{Count: p.Followers.Count}}
	shown := p.DataAuthorised || viewer.Role == RoleCreator && viewer.ID == p.Creator
	if shown || !e.profile.HideAudience {
		v.Followers.Age, v.Followers.Gender = maps.Clone(p.Followers.Age), maps.Clone(p.Followers.Gender)
	}
	if !shown {
		v.Data = e.dataHidden
		return v, nil
	}
	v.LabelIcons, v.Video, v.Live, v.Data = slices.Clone(p.LabelIcons), p.Video, p.Live, affrules.Decide()
	return v, nil
}
