package commission

import (
	"cmp"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/fielderr"
)

// Book is a set of offers checked once and indexed for resolving ([Evaluator.Prepare]): the
// offers that could apply to the order lines of a run. It is immutable and safe for concurrent
// use. The zero Book holds no offers: every order resolved against it earns nothing (COM-3: no rate source applies). A nil *Book is
// an error, not an empty book.
// Two books prepared from the same offers answer alike, but are not reflect.DeepEqual: each
// seeds its own table of products.
type Book struct {
	rule   OfferRule // the rule the offers were checked under
	offers []prepared
	// periods holds each offer's period and source, in the order of offers and side by side,
	// so that the resolver decides an offer outside its period from one small array
	periods []period
	// The offers of each product in an open-addressed table, by a hash of the product ID seeded
	// for this book (so that no set of IDs chosen in advance collides): a power of two of slots,
	// at most half of them used; nil in the zero Book.
	slots []productSlot
	seed  maphash.Seed
	shift uint8 // 64 − log2(len(slots)): a hash's home slot is its top bits
}

// period is what the resolver reads first of every candidate offer ([Book.periods]).
type period struct {
	start, end int64 // prepared.start and prepared.end
	source     Source
}

// productSlot holds the offers of one product in one market; an empty slot has none.
type productSlot struct {
	hash    uint64 // productHash(product)
	product string
	market  affrules.MarketCode
	offers  []int32 // by ID
}

// productHash returns the hash of a product ID in b's table.
func (b *Book) productHash(product string) uint64 { return maphash.String(b.seed, product) }

// home returns the slot a hash is looked up from.
func (b *Book) home(h uint64) uint64 { return h >> b.shift }

// offersOf returns the indexes of the offers of product in market m, by ID.
func (b *Book) offersOf(m affrules.MarketCode, product string) []int32 {
	if len(b.slots) == 0 {
		return nil
	}
	h := b.productHash(product)
	mask := uint64(len(b.slots) - 1)
	for i := b.home(h); ; i = (i + 1) & mask {
		s := &b.slots[i]
		if s.offers == nil {
			return nil
		}
		if s.hash == h && s.market == m && s.product == product {
			return s.offers
		}
	}
}

// index fills the table of products' offers in each market from b.offers, sorted by ID. The
// slots of one product's markets share its hash.
func (b *Book) index() {
	groups := map[bookKey][]int32{}
	var keys []bookKey
	for i, p := range b.offers {
		k := bookKey{p.Market, p.Product}
		g, seen := groups[k]
		if !seen {
			keys = append(keys, k)
		}
		groups[k] = append(g, int32(i))
	}
	log := 1
	for 1<<log < 2*len(keys) {
		log++
	}
	b.slots, b.seed, b.shift = make([]productSlot, 1<<log), maphash.MakeSeed(), uint8(64-log)
	mask := uint64(len(b.slots) - 1)
	for _, k := range keys {
		h := b.productHash(k.product)
		i := b.home(h)
		for b.slots[i].offers != nil {
			i = (i + 1) & mask
		}
		b.slots[i] = productSlot{hash: h, product: k.product, market: k.market, offers: groups[k]}
	}
}

type bookKey struct {
	market  affrules.MarketCode
	product string
}

// prepared is a checked offer with its history as a slice, searched by instant.
type prepared struct {
	Offer
	start, end int64   // the period in Unix nanoseconds; end math.MaxInt64 when it has none
	joined     []int64 // the members' join instants in Unix nanoseconds
	// the [strKey] of each listed creator and of each member, in their order, and, for a list
	// longer than [scanMax], its positions sorted by key (then position; nil for a shorter one)
	creatorKeys, memberKeys   []uint64
	creatorOrder, memberOrder []int32
	timeIndex                 // each history entry's start in Unix nanoseconds, searched by instant
	// each entry's standard, shop-ads and upper-tier rates in units of 1e-9 and its tier
	// threshold (0: none), side by side for COM-10's scan of a window of entries
	std, shop, tier, thr []int64
	// COM-10's scan by kind of order: each entry's rate as that kind of order is paid it, in
	// units of 1e-9, shifted left 32 bits above the entry's index, so that the largest key over
	// a window is the highest rate and, among equal rates, the latest entry; -1 for an entry
	// that pays that kind of order nothing (a shop-ads order without the fallback, an entry
	// without a shop-ads rate). Tiers split orders by count: the keys hold for an order below
	// every threshold of the history ("below") or at or above every one ("upper"); an order
	// between the lowest and the highest threshold is scanned entry by entry.
	peaks          [peakKinds][]int64
	minThr, maxThr int64 // the lowest and highest tier threshold of the history; 0 without tiers
	hist           []entry
}

// The kinds of order COM-10's scan distinguishes ([prepared.peaks]).
const (
	peakStd       = iota // not through shop ads (or no shop-ads rate paid), below every tier
	peakStdUpper         // the same at or above every tier's threshold
	peakShop             // through shop ads, falling back to the standard rate, below every tier
	peakShopUpper        // the same at or above every tier's threshold
	peakShopOnly         // through shop ads, without the fallback
	peakKinds
)

// index fills what the resolver reads of p's history beside p.hist: the time index, the rates
// side by side and COM-10's keys.
func (p *prepared) index() {
	froms := make([]int64, 0, len(p.hist))
	for _, h := range p.hist {
		froms = append(froms, h.from)
		p.std, p.shop, p.tier, p.thr = append(p.std, h.rate), append(p.shop, h.shopAds), append(p.tier, h.tier), append(p.thr, h.threshold)
	}
	p.timeIndex = newTimeIndex(froms)
	p.peakKeys()
}

// peakKeys fills p.peaks and the threshold bounds from p.hist.
func (p *prepared) peakKeys() {
	n := len(p.hist)
	for k := range p.peaks {
		p.peaks[k] = make([]int64, n)
	}
	for j := range p.hist {
		h := &p.hist[j]
		std, upper, key := h.rate, h.rate, func(u int64) int64 { return u<<32 | int64(j) }
		if h.threshold != 0 {
			upper = h.tier
			if p.minThr == 0 || h.threshold < p.minThr {
				p.minThr = h.threshold
			}
			p.maxThr = max(p.maxThr, h.threshold)
		}
		p.peaks[peakStd][j], p.peaks[peakStdUpper][j] = key(std), key(upper)
		p.peaks[peakShop][j], p.peaks[peakShopUpper][j], p.peaks[peakShopOnly][j] = key(std), key(upper), -1
		if h.shopAds != 0 {
			p.peaks[peakShop][j], p.peaks[peakShopUpper][j], p.peaks[peakShopOnly][j] = key(h.shopAds), key(h.shopAds), key(h.shopAds)
		}
	}
}

// peakKind returns the keys COM-10's scan reads for an order of count through shop ads (strict:
// without the fallback), or nil when count lies between the history's tier thresholds.
func (p *prepared) peakKind(count int64, shopAds, strict bool) []int64 {
	k := peakStd
	switch {
	case strict:
		return p.peaks[peakShopOnly]
	case shopAds:
		k = peakShop
	}
	switch {
	case p.maxThr == 0 || count < p.minThr:
	case count >= p.maxThr:
		k++
	default:
		return nil
	}
	return p.peaks[k]
}

// timeIndex finds the history entry in force at an instant. Between the first and the last
// entry's start, time is cut into slots of 2^shift nanoseconds, at most slotsPerEntry per entry
// (and at least half as many, unless the slots are single nanoseconds), and at holds the entry
// in force at each slot's start: an instant's slot bounds its entry by the entries in force at
// the slot's start and end, usually the same entry or neighbours, whatever the spacing of the
// history.
type timeIndex struct {
	froms []int64 // each entry's start in Unix nanoseconds, strictly increasing
	at    []int32 // at[b]: the entry in force at froms[0] + b<<shift; the last one at froms[last]
	shift uint
}

// slotsPerEntry bounds a time index's slots per entry: more slots leave fewer instants that
// share a slot with an entry's start, whose search then compares instants, at 4 bytes a slot.
const slotsPerEntry = 8

func newTimeIndex(froms []int64) timeIndex {
	x := timeIndex{froms: froms}
	n := len(froms)
	if n < 2 {
		return x
	}
	// The differences are taken unsigned, so that they cannot overflow however far apart the
	// instants are.
	span := uint64(froms[n-1]) - uint64(froms[0])
	for span>>x.shift >= uint64(slotsPerEntry*n) {
		x.shift++
	}
	slots := int(span>>x.shift) + 1 // slot b starts at offset b<<shift <= span
	x.at = make([]int32, slots+1)
	j := 0
	for b := range slots {
		off := uint64(b) << x.shift
		for j+1 < n && uint64(froms[j+1])-uint64(froms[0]) <= off {
			j++
		}
		x.at[b] = int32(j)
	}
	x.at[slots] = int32(n - 1)
	return x
}

// search returns the index of the entry in force at t, or -1 before the first.
func (x *timeIndex) search(t int64) int {
	froms := x.froms
	n := len(froms)
	if n == 0 || froms[0] > t {
		return -1
	}
	last := n - 1
	if froms[last] <= t {
		return last
	}
	// froms[0] <= t < froms[last], so the slot is below the last; the entry in force at t is
	// between those in force at its slot's start and at the next slot's.
	b := (uint64(t) - uint64(froms[0])) >> x.shift
	lo, hi := int(x.at[b]), int(x.at[b+1])
	for lo < hi { // froms[lo] <= t, and froms[hi+1] > t
		m := int(uint(lo+hi+1) >> 1)
		if froms[m] <= t {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return lo
}

// memberIndex returns the index of the creator, whose [strKey] is key, among the members, or
// -1.
func (p *prepared) memberIndex(creator string, key uint64) int {
	if p.memberOrder == nil {
		for i, k := range p.memberKeys {
			if k == key && p.Members[i].Creator == creator {
				return i
			}
		}
		return -1
	}
	for j := keyFrom(p.memberKeys, p.memberOrder, key); j < len(p.memberOrder) && p.memberKeys[p.memberOrder[j]] == key; j++ {
		if i := p.memberOrder[j]; p.Members[i].Creator == creator {
			return int(i)
		}
	}
	return -1
}

// listed reports whether the creator, whose [strKey] is key, is among p.Creators.
func (p *prepared) listed(creator string, key uint64) bool {
	if p.creatorOrder == nil {
		for i, k := range p.creatorKeys {
			if k == key && p.Creators[i] == creator {
				return true
			}
		}
		return false
	}
	for j := keyFrom(p.creatorKeys, p.creatorOrder, key); j < len(p.creatorOrder) && p.creatorKeys[p.creatorOrder[j]] == key; j++ {
		if p.Creators[p.creatorOrder[j]] == creator {
			return true
		}
	}
	return false
}

// scanMax is the longest list of IDs scanned by key; a longer one is searched in key order, so
// that an offer with thousands of members costs an order about what one with a few does.
const scanMax = 32

// keyOrder returns, for keys longer than [scanMax], their positions sorted by key, then
// position; nil for shorter ones.
func keyOrder(keys []uint64) []int32 {
	if len(keys) <= scanMax {
		return nil
	}
	order := make([]int32, len(keys))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(keys[a], keys[b]), cmp.Compare(a, b))
	})
	return order
}

// keyFrom returns the first place in order (keys' positions sorted by key) whose key is key or
// above.
func keyFrom(keys []uint64, order []int32, key uint64) int {
	j, _ := slices.BinarySearchFunc(order, key, func(i int32, key uint64) int { return cmp.Compare(keys[i], key) })
	return j
}

// strKey returns the 64-bit FNV-1a hash of s. Strings whose keys differ differ, so a list of
// IDs is scanned by key, and an ID compared only where its key matches.
func strKey(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// entry is one version of an offer's terms with its rates in units of 1e-9, read once.
type entry struct {
	from  int64 // Unix nanoseconds
	Value Terms
	// rate, shop-ads rate, tier rate, partner share
	rate, shopAds, tier, share int64
	threshold                  int64         // the upper tier's threshold; 0 without a tier
	tierRate                   affrules.Rate // the upper tier's rate
}

func toEntries(tl affrules.Timeline[Terms]) []entry {
	out := make([]entry, 0, tl.Len())
	for from, t := range tl.All() {
		e := entry{from: from.UnixNano(), Value: t, rate: rateUnits(t.Rate), shopAds: rateUnits(t.ShopAds), share: rateUnits(t.PartnerShare)}
		if t.Tier != nil {
			e.tier, e.threshold, e.tierRate = rateUnits(t.Tier.Rate), t.Tier.Threshold, t.Tier.Rate
		}
		out = append(out, e)
	}
	return out
}

// Prepare checks every offer under the evaluator's policy ([OfferRule.Check]) and returns them
// as a [Book]. Every problem of every offer is reported at once, each field prefixed by the
// offer's position ("offers[2].rates[0].value.rate"); two offers with one ID are an error. The
// order the offers are given in does not matter: a book answers as if they were sorted by ID.
//
// A product has at most one OPEN offer in a market at a time: a second one that conflicts with
// the first ([OfferRule.Conflicts]) is an error (COM-10, COM-11), so that every change of the
// Open rate goes through the one history the decrease delay and the tier rules are applied to;
// a product removed from Open Collaboration may be listed again by a new offer whose terms at
// its start pay no order less than the removed one still owes a creator promoting it (CMP-7).
// The book records the evaluator's [OfferRule]; an evaluator whose rule differs refuses to
// resolve against it ([ErrForeignBook]).
//
// Cost: each OPEN offer is compared with the OPEN offers of its product given before it, those
// ending less than the relist delay before it starts with their rate histories, so k listings
// of one product cost in proportion to k² (1,000 hourly relistings about 0.1 s, 10,000 about
// 4 s); every other offer costs in proportion to its own size.
func (e *Evaluator) Prepare(offers ...Offer) (*Book, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	l := fielderr.For(pkg)
	ids := make(map[string]int, len(offers))
	opens := make(map[bookKey][]int) // the OPEN offers of each market and product
	for i, o := range offers {
		one := fielderr.For(pkg)
		e.rule.check(one, o)
		l.Append(fielderr.Rebase(pkg, "offer", "offers["+strconv.Itoa(i)+"]", one.Err()))
		if j, dup := ids[o.ID]; dup && o.ID != "" {
			l.Add("offers["+strconv.Itoa(i)+"].id", o.ID, "is the ID of offers[%d] too", j)
		}
		ids[o.ID] = i
		if o.Source == Open {
			k := bookKey{o.Market, o.Product}
			for _, j := range opens[k] {
				if e.rule.Conflicts(offers[j], o) {
					f := e.rule.ConflictError(o, "offers["+strconv.Itoa(j)+"]")
					f.Field = "offers[" + strconv.Itoa(i) + "].source"
					l.Append(f)
					break
				}
			}
			opens[k] = append(opens[k], i)
		}
	}
	if err := l.Err(); err != nil {
		return nil, err
	}
	b := &Book{rule: e.rule, offers: make([]prepared, len(offers))}
	for i, o := range offers {
		c := o.clone()
		p := prepared{Offer: c, start: c.Period.Start.UnixNano(), end: math.MaxInt64, hist: toEntries(c.Rates)}
		if !c.Period.End.IsZero() {
			p.end = c.Period.End.UnixNano()
		}
		for _, m := range c.Members {
			p.joined = append(p.joined, m.Joined.UnixNano())
			p.memberKeys = append(p.memberKeys, strKey(m.Creator))
		}
		for _, id := range c.Creators {
			p.creatorKeys = append(p.creatorKeys, strKey(id))
		}
		p.memberOrder, p.creatorOrder = keyOrder(p.memberKeys), keyOrder(p.creatorKeys)
		p.index()
		b.offers[i] = p
	}
	slices.SortFunc(b.offers, func(x, y prepared) int { return strings.Compare(x.ID, y.ID) })
	b.periods = make([]period, len(b.offers))
	for i := range b.offers {
		p := &b.offers[i]
		b.periods[i] = period{start: p.start, end: p.end, source: p.Source}
	}
	b.index()
	return b, nil
}

// Len returns the number of offers in the book.
func (b *Book) Len() int {
	if b == nil {
		return 0
	}
	return len(b.offers)
}
