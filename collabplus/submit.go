package collabplus

import (
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/internal/shown"
)

var (
	keyAllowlist = affrules.DefineMessage("collabplus.cp17.not_allowlisted", affrules.Message{
		Text: "Collaboration Plus is by invitation only and the seller is not allowlisted", Observed: "{subject}",
	})
	keyQuota = affrules.DefineMessage("collabplus.cp3.quota", affrules.Message{
		Text: "creation quota reached", Observed: "{observed} submitted in the window", Limit: "at most {limit}",
	})
	keyTooShort = affrules.DefineMessage("collabplus.cp2.too_short", affrules.Message{
		Text: "period shorter than the type allows", Observed: "{observed} calendar days", Limit: "at least {limit}",
	})
	keyTooLong = affrules.DefineMessage("collabplus.cp2.too_long", affrules.Message{
		Text: "period longer than the type allows", Observed: "{observed} calendar days", Limit: "at most {limit}",
	})
	keyIneligible = affrules.DefineMessage("collabplus.elg9.ineligible", affrules.Message{
		Text: "product not eligible for Collaboration Plus", Observed: "{observed}", Limit: "{limit}",
	})
	keyNotAbove = affrules.DefineMessage("collabplus.cp8.not_above_open", affrules.Message{
		Text: "exclusive rate not above the product's Open Collaboration rate", Observed: "{observed}", Limit: "above {limit}",
	})
	keyNoneAbove = affrules.DefineMessage("collabplus.cp8.none_possible", affrules.Message{
		Text: "no exclusive rate is possible: the Open Collaboration rate is at the maximum", Observed: "{observed}", Limit: "maximum {limit}",
	})
)

// Quota decides whether seller s may submit a collaboration at instant at (CP-3): at most
// [Policy.QuotaLimit] submitted in [Policy.QuotaDays] (market-calendar days: the day of at and
// the ones before it; or a rolling window of days × 24 h, [Policy.QuotaCalendarDays]),
// expired and recalled ones counted as the policy says. A denial says when the next slot opens
// if nothing else happens: the start of the day (or the instant) the oldest submission that must
// leave the window does, or, when expired ones do not count, the end of a payment window, if that
// comes first. Any number of collaborations may run at once. A seller whose shop's permanent
// disqualification was recorded ([Disqualify], ELG-6, ELG-11) may submit nothing more: the
// decision says so too, and no time lifts it.
func (e *Evaluator) Quota(s Seller, at time.Time) (affrules.Decision, error) {
	if err := e.ready(); err != nil {
		return affrules.Decision{}, err
	}
	mk, ok := e.market(s.Market)
	if !ok {
		return affrules.Decision{}, fielderr.New(pkg, "seller.market", strconv.Quote(string(s.Market)), "Collaboration Plus does not run there: %w", affrules.ErrUnknownMarket)
	}
	l := fielderr.For(pkg)
	l.Append(bounds.ID(pkg, "seller.id", s.ID))
	l.Append(bounds.Instant(pkg, "at", at))
	if err := l.Err(); err != nil {
		return affrules.Decision{}, err
	}
	d := e.quota(&s, mk, at)
	if !s.Disqualified.IsZero() {
		d = affrules.Decide(append(d.Reasons, s.shopOut())...)
	}
	return d, nil
}

// shopOut is the reason a seller whose shop's permanent disqualification is recorded submits
// nothing more (ELG-6, ELG-11).
func (s *Seller) shopOut() affrules.Reason {
	return affrules.Reason{Rule: RuleLaterDisqualification, Key: keyShopDisqualified, Observed: affrules.Instant(s.Disqualified), Subject: s.ID}
}

func (e *Evaluator) quota(s *Seller, mk affrules.Market, at time.Time) affrules.Decision {
	n := e.policy.QuotaDays
	from := at.Add(-affrules.Days(n)) // rolling: (at − n×24h, at]
	if e.policy.QuotaCalendarDays {
		from = addDays(mk, at, -(n - 1)) // the day of at and the n−1 before it
	}
	var gone []time.Time // when each submission counted stops counting, if nothing else happens
	var index map[string]int
	searched := 0 // submissions whose collaboration was searched for
	for _, sub := range s.Submissions {
		if sub.At.After(at) || sub.At.Before(from) || (!e.policy.QuotaCalendarDays && sub.At.Equal(from)) {
			continue
		}
		leaves := sub.At.Add(affrules.Days(n)) // it leaves the window
		if e.policy.QuotaCalendarDays {
			leaves = addDays(mk, sub.At, n)
		}
		// A submission in the window is recent, and so, most likely, is its collaboration: the
		// search starts from the latest, so that a long history costs nothing here. Past a few
		// searches (the quota is a handful), the collaborations are indexed once instead, so
		// that no record makes this quadratic.
		i := -1
		if searched++; searched <= searchCollabs {
			i = s.lastCollab(sub.Collaboration)
		} else {
			if index == nil {
				index = make(map[string]int, len(s.Collaborations))
				for k := range s.Collaborations {
					index[s.Collaborations[k].ID] = k // the last of an ID, as lastCollab finds it
				}
			}
			if k, ok := index[sub.Collaboration]; ok {
				i = k
			}
		}
		if i >= 0 {
			switch c := &s.Collaborations[i]; c.StateAt(at) {
			case PendingPayment:
				if ev, _ := c.event(Submitted, at); !e.policy.QuotaCountsExpired && ev.Due.Before(leaves) {
					leaves = ev.Due // unpaid, it expires first
				}
			case Expired:
				if !e.policy.QuotaCountsExpired {
					continue
				}
			case Recalled:
				if !e.policy.QuotaCountsRecalled {
					continue
				}
			}
		}
		gone = append(gone, leaves)
	}
	if len(gone) < e.policy.QuotaLimit {
		return affrules.Decide()
	}
	slices.SortFunc(gone, time.Time.Compare)
	d := affrules.Decide(affrules.Reason{Rule: RuleQuota, Key: keyQuota, Observed: affrules.Count(int64(len(gone))), Limit: affrules.Count(int64(e.policy.QuotaLimit)), Subject: s.ID})
	d.NextAllowed = bounds.Next(gone[len(gone)-e.policy.QuotaLimit]) // a slot opens when one more has gone
	return d
}

// searchCollabs is how many submissions' collaborations quota searches for one by one before it
// indexes them.
const searchCollabs = 8

// addDays returns the local midnight starting the market-calendar day n days after t's day.
func addDays(mk affrules.Market, t time.Time, n int) time.Time {
	loc := mk.Location()
	y, m, d := t.In(loc).Date()
	return mk.Day(time.Date(y, m, d+n, 12, 0, 0, 0, loc)).Start
}

// submit applies a Submit action to draft c of seller s (CP-2, CP-3, CP-8, CP-17, ELG-9, and
// SMP-12 and CP-19 under the policy).
func (e *Evaluator) submit(s *Seller, c *Collaboration, mk affrules.Market, f Facts, at time.Time) error {
	t := c.Preferences
	l := fielderr.For(pkg)
	g := e.checkTerms(l, s, mk, "preferences", t)
	results := make([]eligibility.Result, len(t.Products))
	byID := make(map[string]int, len(f.Eligibility))
	for k := range f.Eligibility {
		id := f.Eligibility[k].ID
		if _, twice := byID[id]; twice {
			// Two results for one product may disagree; which one holds is not ours to guess.
			l.Add("facts.eligibility["+id+"]", strconv.Quote(id), "is given twice: give one result per product (%s)", RuleEligibleProducts)
			continue
		}
		byID[id] = k
	}
	for i, p := range t.Products {
		field := "facts.eligibility[" + p.ID + "]"
		k, found := byID[p.ID]
		if !found {
			k = -1
		}
		switch {
		case k < 0:
			l.Add(field, "none", "give the product's eligibility evaluated at the submission (%s)", RuleEligibleProducts)
			continue
		case f.Eligibility[k].State == eligibility.Unevaluated || f.Eligibility[k].State > eligibility.PermanentlyDisqualified:
			l.Add(field+".state", f.Eligibility[k].State, "must be an evaluated eligibility (%s)", RuleEligibleProducts)
		case f.Eligibility[k].ShopID != s.ID:
			l.Add(field+".shop_id", strconv.Quote(f.Eligibility[k].ShopID), "is not the seller %q (%s)", s.ID, RuleEligibleProducts)
		case f.Eligibility[k].Market != s.Market:
			l.Add(field+".market", strconv.Quote(string(f.Eligibility[k].Market)), "is not the seller's market %s (%s)", s.Market, RuleEligibleProducts)
		case f.Eligibility[k].Lifted(at):
			l.Add(field+".decision.next_allowed", f.Eligibility[k].Decision.NextAllowed.Format(time.RFC3339Nano), "is not after the submission at %s: the disqualification had lifted, so the result is from an earlier instant; give the product's eligibility evaluated at the submission (%s)", at.Format(time.RFC3339Nano), RuleEligibleProducts)
		}
		results[i] = f.Eligibility[k]
	}
	// CP-8 holds each product's exclusive rates above its Open offers: an offer of another
	// product (a mistyped ID) would leave a product unchecked, and two offers of one product that
	// commission would not list together (COM-10, CMP-7) are not its Open listing.
	var listed []int // the offers above found sound
	for i, o := range f.Open {
		field := "facts.open[" + strconv.Itoa(i) + "]"
		if o.Source != commission.Open || o.Market != s.Market {
			l.Add(field, o.ID, "must be an OPEN offer in the seller's market %s (%s)", s.Market, RuleExclusiveRates)
			continue
		}
		if err := e.rule.Check(nil, o, at); err != nil {
			l.Append(fielderr.Rebase(pkg, "offer", field, err))
			continue
		}
		if !slices.ContainsFunc(t.Products, func(p Product) bool { return p.ID == o.Product }) {
			l.Add(field+".product", strconv.Quote(o.Product), "is not a product of collaboration %q: give the Open offers of its products only (%s)", c.ID, RuleExclusiveRates)
			continue
		}
		for _, j := range listed {
			if e.rule.Conflicts(f.Open[j], o) {
				l.Append(fielderr.Rebase(pkg, "offer", field, e.rule.ConflictError(o, "facts.open["+strconv.Itoa(j)+"]")))
				break
			}
		}
		listed = append(listed, i)
	}
	if err := l.Err(); err != nil {
		return err
	}

	var reasons []affrules.Reason
	next := time.Time{}
	if !slices.Contains(e.policy.OpenMarkets, s.Market) && !f.Allowlisted { // CP-17
		reasons = append(reasons, affrules.Reason{Rule: RuleAllowlist, Key: keyAllowlist, Subject: s.ID})
	}
	if q := e.quota(s, mk, at); !q.Allowed { // CP-3
		reasons = append(reasons, q.Reasons...)
		next = q.NextAllowed
	}
	reasons = append(reasons, e.duration(mk, c.ID, t)...) // CP-2
	reasons = append(reasons, e.policyTerms(c.ID, t)...)  // SMP-12, CP-19
	if !at.Before(t.Period.Start) {                       // CP-7: paid before it starts
		reasons = append(reasons, affrules.Reason{Rule: RuleLifecycle, Key: keyStarted, Observed: affrules.Instant(at), Limit: affrules.Instant(t.Period.Start), Subject: c.ID})
	}
	// ELG-9: time helps an ineligible product only when its result says when it lifts (a
	// temporary disqualification whose NextAllowed is set, ELG-1).
	eligFrom, eligNext, eligTime := len(reasons), time.Time{}, true
	for i, p := range t.Products {
		if r := results[i]; !r.Eligible() {
			reasons = append(reasons, affrules.Reason{Rule: RuleEligibleProducts, Key: keyIneligible, Observed: affrules.Text(r.State.String()), Limit: affrules.Text(eligibility.Eligible.String()), Subject: p.ID})
			reasons = append(reasons, r.Decision.Failures()...)
			if na := r.Decision.NextAllowed; na.IsZero() || r.Permanent() {
				eligTime = false
			} else if na.After(eligNext) {
				eligNext = na
			}
		}
	}
	eligTo := len(reasons)
	// ELG-6, ELG-11: a shop or a product whose participation a permanent disqualification ended
	// is disqualified for good, whatever eligibility result is given now.
	if !s.Disqualified.IsZero() {
		reasons = append(reasons, s.shopOut())
	}
	for _, p := range t.Products {
		if when, ok := s.endedAt(p.ID, at); ok {
			reasons = append(reasons, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyEndedBefore, Observed: affrules.Instant(when), Subject: p.ID})
		}
	}
	openOf := make(map[string][]commission.Offer, len(f.Open))
	for _, o := range f.Open {
		openOf[o.Product] = append(openOf[o.Product], o)
	}
	for _, p := range t.Products { // CP-8
		reasons = append(reasons, e.aboveOpen(p, openOf[p.ID], at)...)
	}
	// MKT-5: time alone helps when only the quota (CP-3), temporary disqualifications that say
	// when they lift (ELG-9) and the Open rates CP-8 holds the exclusive ones to fail: from the
	// instant the quota frees a slot and every product is eligible again, the first at which no
	// product's rates fail CP-8 any more (a decreased Open rate stops counting COM-10's delay
	// after the decrease, a listing when it ends), if that comes before the period starts, when
	// CP-7 would refuse the submission.
	timeOnly, rates := eligTime, false
	for i, r := range reasons {
		switch {
		case i >= eligFrom && i < eligTo:
		case r.Rule == RuleQuota:
		case r.Rule == RuleExclusiveRates:
			rates = true
		default:
			timeOnly = false
		}
	}
	if eligNext.After(next) {
		next = eligNext // every product eligible again
	}
	switch {
	case !timeOnly:
		next = time.Time{}
	case rates:
		from := at
		if next.After(from) {
			from = next // the quota's slot, every product eligible
		}
		next = e.openClears(t.Products, openOf, from, t.Period.Start)
	}
	if !next.Before(t.Period.Start) {
		next = time.Time{}
	}
	if err := refuse("submit", c.ID, next, reasons...); err != nil {
		return err
	}
	c.Events = append(c.Events, Event{Kind: Submitted, At: at, Due: at.Add(time.Duration(e.policy.PaymentHours) * time.Hour)})
	c.Group = &g
	s.Submissions = append(s.Submissions, Submission{Collaboration: c.ID, At: at})
	return nil
}

// openClears returns the first instant from from on, and before end, at which no product's
// exclusive rates fail CP-8 against the OPEN offers in openOf, or the zero time if there is
// none. The answer can change only where an entry stops counting (COM-10's delay after the
// next entry starts) or a listing ends.
func (e *Evaluator) openClears(products []Product, openOf map[string][]commission.Offer, from, end time.Time) time.Time {
	instants := []time.Time{from}
	for _, p := range products {
		for _, o := range openOf[p.ID] {
			if !o.Period.End.IsZero() {
				instants = append(instants, o.Period.End)
				if e.removalPays { // a removed listing stops paying its promoters
					instants = append(instants, o.Period.End.Add(e.delay))
				}
			}
			for start := range o.Rates.All() {
				instants = append(instants, start.Add(e.delay))
			}
		}
	}
	slices.SortFunc(instants, time.Time.Compare)
	for _, at := range instants {
		if at.Before(from) {
			continue
		}
		if !at.Before(end) {
			break
		}
		clear := true
		for _, p := range products {
			if len(e.aboveOpen(p, openOf[p.ID], at)) > 0 {
				clear = false
				break
			}
		}
		if clear {
			return at
		}
	}
	return time.Time{}
}

// policyTerms returns the reasons terms t of collaboration id fail the rules the policy adds to
// their shape: one kind of sample only (SMP-12, [Policy.OneSampleKind]) and the video prompt on
// beside an exclusive shop-ads rate (CP-19, [Policy.ShopAdsNeedVideoPrompt]), one reason per
// product.
func (e *Evaluator) policyTerms(id string, t Terms) []affrules.Reason {
	var out []affrules.Reason
	if t.FreeSamples && t.RefundableSamples && e.policy.OneSampleKind {
		out = append(out, affrules.Reason{Rule: RuleSampleKinds, Key: keyOneSampleKind, Observed: affrules.Text("free and refundable"), Limit: affrules.Text("one kind"), Subject: id})
	}
	if !t.AuthoriseVideos && e.policy.ShopAdsNeedVideoPrompt {
		for _, p := range t.Products {
			if !p.ShopAds.IsZero() {
				out = append(out, affrules.Reason{Rule: RuleVideoFlag, Key: keyVideoPromptNeeded, Observed: affrules.RateOf(p.ShopAds), Limit: affrules.Text("on"), Subject: p.ID})
			}
		}
	}
	return out
}

// duration returns CP-2's reason when the period of terms t is not within its type's bounds.
func (e *Evaluator) duration(mk affrules.Market, id string, t Terms) []affrules.Reason {
	b := e.policy.TaskDays
	if t.Type == Challenge {
		b = e.policy.ChallengeDays
	}
	switch n, _ := calendarDays(mk, t.Period); {
	case n < b.Min:
		return []affrules.Reason{{Rule: RuleDuration, Key: keyTooShort, Observed: affrules.Count(int64(n)), Limit: affrules.Count(int64(b.Min)), Subject: id}}
	case n > b.Max:
		return []affrules.Reason{{Rule: RuleDuration, Key: keyTooLong, Observed: affrules.Count(int64(n)), Limit: affrules.Count(int64(b.Max)), Subject: id}}
	}
	return nil
}

// aboveOpen returns the CP-8 reasons product p's exclusive rates fail: each must be strictly
// above the highest Open Collaboration rate live for the product at at (its standard or upper
// tier rate; for shop ads, its shop-ads rate, else its standard rate), over the entries in force
// during COM-10's delay before at (none but the one in force at at under
// [Policy].ExclusiveOverCurrentOpen, or when Open's decreases are not delayed); without an
// exclusive shop-ads rate, the standard rate again, for shop-ads orders, against Open's shop-ads
// rate where shop-ads orders would earn it ([Policy].StandardAboveOpenShopAds); a listing
// removed less than the delay before at counts under commission's RemovalDelayed, which has it
// pay its promoters until then, its last entry as if in force up to at.
func (e *Evaluator) aboveOpen(p Product, open []commission.Offer, at time.Time) []affrules.Reason {
	if p.Rate.IsZero() && p.ShopAds.IsZero() {
		return nil
	}
	// The highest rate the product's Open listing pays an ordinary order (standard or upper
	// tier) and a shop-ads order (each entry's shop-ads rate, else its standard or upper tier
	// rate, as COM-5 pays it), over the entries in force during COM-10's delay before at.
	var maxStd, maxShop affrules.Rate
	for _, o := range open {
		upto := at // the last instant whose entry counts: at, or the removed listing's last one
		if o.Product != p.ID || at.Before(o.Period.Start) {
			continue
		}
		if end := o.Period.End; !end.IsZero() && !at.Before(end) {
			// CMP-7 under commission's RemovalDelayed: a listing removed less than the delay
			// before at still pays a creator who promoted it before, as if it ran on.
			if !e.removalPays || !o.Period.Start.Before(end) || !at.Before(end.Add(e.delay)) {
				continue
			}
			upto = end.Add(-time.Nanosecond)
		}
		lo := at.Add(-e.delay)
		var prev *commission.Terms
		var prevFrom time.Time
		consider := func(v *commission.Terms) {
			std := v.Rate
			if v.Tier != nil && v.Tier.Rate.Cmp(std) > 0 {
				std = v.Tier.Rate
			}
			shop := std
			if !v.ShopAds.IsZero() {
				shop = v.ShopAds
			}
			if std.Cmp(maxStd) > 0 {
				maxStd = std
			}
			if shop.Cmp(maxShop) > 0 {
				maxShop = shop
			}
		}
		for from, v := range o.Rates.All() {
			if from.After(upto) {
				break
			}
			// The entry before this one was in force until from: it counts if from is after lo.
			if prev != nil && from.After(lo) {
				consider(prev)
			}
			v := v
			prev, prevFrom = &v, from
		}
		if prev != nil && !prevFrom.After(upto) {
			consider(prev) // the entry in force at upto
		}
	}
	if maxStd.IsZero() {
		return nil // not listed in Open Collaboration
	}
	var out []affrules.Reason
	check := func(subject string, rate, floor affrules.Rate) {
		switch {
		case rate.IsZero():
		case floor.Cmp(e.rule.MaxRate) >= 0:
			out = append(out, affrules.Reason{Rule: RuleExclusiveRates, Key: keyNoneAbove, Observed: affrules.RateOf(floor), Limit: affrules.RateOf(e.rule.MaxRate), Subject: subject})
		case rate.Cmp(floor) <= 0:
			out = append(out, affrules.Reason{Rule: RuleExclusiveRates, Key: keyNotAbove, Observed: affrules.RateOf(rate), Limit: affrules.RateOf(floor), Subject: subject})
		}
	}
	check(p.ID, p.Rate, maxStd)
	check(p.ID+" shop ads", p.ShopAds, maxShop)
	if p.ShopAds.IsZero() && e.standardForShopAds && maxShop.Cmp(maxStd) > 0 {
		// Shop-ads orders will earn the exclusive standard rate (COM-5's fallback): it must be
		// above what Open pays them, or a member would earn less on them than a non-member.
		check(p.ID+" shop ads (standard rate)", p.Rate, maxShop)
	}
	return out
}

// checkTerms adds every problem of terms t (field names them: "preferences", "final") to l and
// returns the seller's group they name.
func (e *Evaluator) checkTerms(l *fielderr.List, s *Seller, mk affrules.Market, field string, t Terms) Group {
	if t.Type != Task && t.Type != Challenge {
		l.Add(field+".type", int(t.Type), "must be task or challenge (%s): %w", RuleTypes, affrules.ErrOutOfRange)
	}
	p := t.Period
	pOK := true
	for _, x := range []struct {
		name string
		t    time.Time
	}{{".period.start", p.Start}, {".period.end", p.End}} {
		if err := bounds.Instant(pkg, field+x.name, x.t); err != nil {
			l.Append(err)
			pOK = false
		}
	}
	if pOK {
		_, whole := calendarDays(mk, p)
		switch {
		case !p.End.After(p.Start):
			l.Add(field+".period", p.String(), "%w", affrules.ErrInvertedPeriod)
		case !whole:
			l.Add(field+".period", p.String(), "must run from a local midnight to another in %s (whole days, %s)", mk.Code, RuleDuration)
		default:
			// No instant from 2200 on is accepted: a deposit's refund due after then could never
			// be recorded (CP-9 after the end, CP-7 after a recall before the start).
			fee, recall := e.policy.FeeRefundDays.Max, e.policy.RecallRefundDays.Max
			if due := addCalendarDays(mk, p.End, fee); !bounds.InRange(due) { // the field named only then
				l.Append(bounds.Reaches(pkg, field+".period.end", p.End, due, "the refund window of %d days after it", fee, "the deposit's refund could never be recorded ("+string(RuleFees)+")"))
			}
			if due := addCalendarDays(mk, p.Start, recall); !bounds.InRange(due) {
				l.Append(bounds.Reaches(pkg, field+".period.start", p.Start, due, "a recall's refund window of %d days after it", recall, "the deposit's refund could never be recorded ("+string(RuleLifecycle)+")"))
			}
		}
	}
	if len(t.Products) == 0 {
		l.Add(field+".products", "[]", "must list at least one product")
	}
	ids := make(map[string]struct{}, len(t.Products))
	for i, pr := range t.Products {
		f := field + ".products[" + strconv.Itoa(i) + "]"
		_, dup := ids[pr.ID]
		ids[pr.ID] = struct{}{}
		switch {
		case !bounds.IDOK(pr.ID):
			l.Append(bounds.ID(pkg, f+".id", pr.ID))
		case dup:
			l.Add(f+".id", pr.ID, "is listed twice")
		}
		for _, r := range []struct {
			name string
			v    affrules.Rate
		}{{".rate", pr.Rate}, {".shop_ads", pr.ShopAds}} {
			if !r.v.IsZero() && (r.v.Cmp(e.rule.MinRate) < 0 || r.v.Cmp(e.rule.MaxRate) > 0) {
				l.Add(f+r.name, r.v, "must be between %s and %s (COM-9): %w", e.rule.MinRate, e.rule.MaxRate, affrules.ErrOutOfRange)
			}
		}
		if pr.Rate.IsZero() && !pr.ShopAds.IsZero() {
			l.Add(f+".shop_ads", pr.ShopAds, "needs an exclusive standard rate beside it (CP-8: the shop-ads rate is set beside the commission, seed 003)")
		}
		if pr.Rate.IsZero() && e.rule.RequireExclusiveRate {
			l.Add(f+".rate", "0%", "must be set: the commission policy requires an exclusive rate (COM-4)")
		}
	}
	g, ok := s.group(t.Group)
	if !ok {
		l.Add(field+".group", strconv.Quote(t.Group), "is not one of the seller's creator groups (%s)", RuleGroups)
	}
	places := mk.MinorUnit
	switch t.Type {
	case Task:
		if len(t.Tasks) == 0 {
			l.Add(field+".tasks", "[]", "a task collaboration has at least one task (%s)", RuleTasks)
		}
		for i, k := range t.Tasks {
			f := field + ".tasks[" + strconv.Itoa(i) + "]"
			if k.ContentType == "" {
				l.Add(f+".content_type", "", "must not be empty (%s)", RuleTasks)
			}
			switch k.Goal {
			case Sales:
				amount(l, f+".target", k.Target, places)
			case Orders, Content:
				count(l, f+".target", k.Target)
			default:
				l.Add(f+".goal", int(k.Goal), "must be sales, orders or content (%s): %w", RuleTasks, affrules.ErrOutOfRange)
			}
		}
		amount(l, field+".reward", t.Reward, places)
		if t.Goal != 0 {
			l.Add(field+".goal", t.Goal.shown(), "is a challenge's: a task collaboration's goals are its tasks' (%s)", RuleChallengeRewards)
		}
		if len(t.Tiers) > 0 {
			l.Add(field+".tiers", len(t.Tiers), "are a challenge's (%s)", RuleChallengeRewards)
		}
	case Challenge:
		if t.Goal != Sales && t.Goal != Orders {
			l.Add(field+".goal", t.Goal.shown(), "must be sales or orders (%s): %w", RuleChallengeRewards, affrules.ErrOutOfRange)
		}
		if len(t.Tiers) == 0 {
			l.Add(field+".tiers", "[]", "a challenge has at least one rank tier (%s)", RuleChallengeRewards)
		}
		last := 0
		for i, r := range t.Tiers {
			f := field + ".tiers[" + strconv.Itoa(i) + "]"
			if r.To <= last || r.To > 1_000_000_000 {
				l.Add(f+".to", r.To, "must be above the previous tier's %d and at most 1000000000 (%s): %w", last, RuleChallengeRewards, affrules.ErrOutOfRange)
			}
			last = max(last, r.To)
			amount(l, f+".reward", r.Reward, places)
		}
		if len(t.Tasks) > 0 {
			l.Add(field+".tasks", len(t.Tasks), "are a task collaboration's (%s)", RuleTaskRewards)
		}
		if !t.Reward.IsZero() {
			l.Add(field+".reward", t.Reward, "is a task collaboration's: a challenge's rewards are its tiers' (%s)", RuleTaskRewards)
		}
	}
	if len(t.Objectives) == 0 {
		l.Add(field+".objectives", "[]", "must list at least one objective (%s)", RuleFees)
	}
	names := make(map[string]struct{}, len(t.Objectives))
	for i, o := range t.Objectives {
		f := field + ".objectives[" + strconv.Itoa(i) + "]"
		_, dup := names[o.Name]
		names[o.Name] = struct{}{}
		switch value, problem := shown.Problem(o.Name, maxObjectiveName, false); {
		case o.Name == "":
			l.Add(f+".name", "", "must not be empty")
		case problem != "":
			l.Add(f+".name", value, "%s", problem)
		case dup:
			l.Add(f+".name", o.Name, "is listed twice")
		}
		amount(l, f+".budget", o.Budget, places)
		positive(l, f+".target", o.Target)
	}
	if t.WhatsApp != "" && !phone(t.WhatsApp) {
		l.Add(field+".whatsapp", strconv.Quote(t.WhatsApp), "must be a phone number: 6 to 15 digits, with an optional leading + and spaces, dashes or parentheses (%s)", RuleVideoFlag)
	}
	return g.clone()
}

// maxObjectiveName is the longest objective name (CP-9), in characters: a text the seller writes
// and the platform shows.
const maxObjectiveName = 200

// phone reports whether s reads as a phone number: 6 to 15 digits, an optional leading +, and
// spaces, dashes, dots or parentheses between them.
func phone(s string) bool {
	if len(s) > 32 {
		return false
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '.', r == '(', r == ')':
		default:
			return false
		}
	}
	return digits >= 6 && digits <= 15
}

// positive adds a problem to l unless d is within the library's decimal bounds and above zero.
func positive(l *fielderr.List, field string, d decimal.Decimal) bool {
	if err := bounds.Decimal(pkg, field, d); err != nil {
		l.Append(err)
		return false
	}
	if d.Sign() <= 0 {
		l.Add(field, d, "must be above zero: %w", affrules.ErrOutOfRange)
		return false
	}
	return true
}

// amount adds a problem to l unless d is a positive amount exact to places decimal places.
func amount(l *fielderr.List, field string, d decimal.Decimal, places int32) {
	if positive(l, field, d) && !d.Equal(d.Truncate(places)) {
		l.Add(field, d, "must be exact to the currency's minor unit (%d decimal places)", places)
	}
}

// count adds a problem to l unless d is a positive whole number.
func count(l *fielderr.List, field string, d decimal.Decimal) {
	if positive(l, field, d) && !d.IsInteger() {
		l.Add(field, d, "must be a whole number")
	}
}
