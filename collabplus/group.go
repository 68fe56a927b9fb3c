package collabplus

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/level"
)

// Risk is a creator's fake-order risk level (CP-4), estimated by the host from cancellations
// relative to sales. The zero value is unknown.
type Risk uint8

// Risk levels, lowest first.
const (
	_ Risk = iota
	LowRisk
	MediumRisk
	HighRisk
)

var riskNames = enum.Names[Risk]{"", "low", "medium", "high"}

// String returns "low", "medium" or "high".
func (r Risk) String() string { return riskNames.String("Risk", r) }

// MarshalText returns the level's name, or an error for an unknown one.
func (r Risk) MarshalText() ([]byte, error) {
	if r < LowRisk || r > HighRisk {
		return nil, fielderr.New(pkg, "risk", int(r), "%w", affrules.ErrOutOfRange)
	}
	b, _ := riskNames.Text(r)
	return b, nil
}

// UnmarshalText parses a level's name.
func (r *Risk) UnmarshalText(b []byte) error {
	v, ok := riskNames.Parse(b)
	if !ok || v == 0 {
		return fielderr.New(pkg, "risk", strconv.Quote(string(b)), "must be low, medium or high")
	}
	*r = v
	return nil
}

// Creator is what a creator group is matched against (CP-4): a creator's attributes as the host
// knows them when the creator joins.
type Creator struct {
	ID           string              `json:"id"`
	Categories   []affrules.Category `json:"categories,omitempty"`
	Level        level.Level         `json:"level"`
	AvgRate      affrules.Rate       `json:"avg_rate"`
	ContentTypes []string            `json:"content_types,omitempty"`
	Followers    int64               `json:"followers"`
	Risk         Risk                `json:"risk,omitzero"` // left out when unknown
	// Kind is the creator's kind as the platform classifies it (LVL-11): a link-share-only
	// creator does not complete the tasks of [Policy].ContentCreatorTasks. The zero kind,
	// unknown, restricts nothing.
	Kind level.Kind `json:"kind,omitzero"`
	// Attributes holds any other attribute a group may name (CP-4's "and many more"), as
	// text; a numeric criterion reads it as a decimal number.
	Attributes map[string]string `json:"attributes,omitempty"`
}

// check adds every problem of creator c to l: an empty ID, an unknown level or risk, a negative
// follower count, an empty category or content type.
func (c Creator) check(l *fielderr.List) {
	l.Append(bounds.ID(pkg, "creator.id", c.ID))
	if !c.Level.Valid() {
		l.Add("creator.level", int(c.Level), "must be L0–L8: %w", affrules.ErrOutOfRange)
	}
	if c.Followers < 0 {
		l.Add("creator.followers", c.Followers, "%w", affrules.ErrNegative)
	}
	if c.Risk > HighRisk {
		l.Add("creator.risk", int(c.Risk), "must be low, medium, high or unknown: %w", affrules.ErrOutOfRange)
	}
	if slices.Contains(c.Categories, "") {
		l.Add("creator.categories", "", "must not hold an empty category")
	}
	if slices.Contains(c.ContentTypes, "") {
		l.Add("creator.content_types", "", "must not hold an empty content type")
	}
	if _, err := c.Kind.MarshalText(); err != nil {
		l.Add("creator.kind", int(c.Kind), "must be unknown, link_share_only or affiliate_creator (LVL-11): %w", affrules.ErrOutOfRange)
	}
}

// Criterion is a condition on one of [Creator.Attributes]: its value is one of OneOf, or, as a
// number, within [Min, Max] (a nil bound is open).
type Criterion struct {
	Attribute string           `json:"attribute"`
	OneOf     []string         `json:"one_of,omitempty" strict:"optional"`
	Min       *decimal.Decimal `json:"min,omitempty" strict:"optional"`
	Max       *decimal.Decimal `json:"max,omitempty" strict:"optional"`
}

// Group is a seller's creator group (CP-4): the creators a collaboration is for. Every condition
// left at its zero value matches every creator.
type Group struct {
	ID string `json:"id"`
	// Categories: the creator promotes at least one of them.
	Categories []affrules.Category `json:"categories,omitempty" strict:"optional"`
	// MinLevel and MaxLevel bound the creator's level, both included; a nil MaxLevel means L8.
	MinLevel level.Level  `json:"min_level,omitzero" strict:"optional"`
	MaxLevel *level.Level `json:"max_level,omitempty" strict:"optional"`
	// MinAvgRate and MaxAvgRate bound the creator's average commission rate, both included; a
	// zero MaxAvgRate means 100%.
	MinAvgRate affrules.Rate `json:"min_avg_rate,omitzero" strict:"optional"`
	MaxAvgRate affrules.Rate `json:"max_avg_rate,omitzero" strict:"optional"`
	// ContentTypes: the creator makes at least one of them (compared ignoring case).
	ContentTypes []string `json:"content_types,omitempty" strict:"optional"`
	// MinFollowers and MaxFollowers bound the follower count, both included; a zero
	// MaxFollowers means no upper bound.
	MinFollowers int64 `json:"min_followers,omitzero" strict:"optional"`
	MaxFollowers int64 `json:"max_followers,omitzero" strict:"optional"`
	// MaxRisk is the highest fake-order risk admitted; zero admits every level, unknown included.
	MaxRisk Risk `json:"max_risk,omitzero" strict:"optional"`
	// Criteria are conditions on other attributes.
	Criteria []Criterion `json:"criteria,omitempty" strict:"optional"`
}

// maxLevel returns the group's highest level: MaxLevel, or L8 when it has none.
func (g Group) maxLevel() level.Level {
	if g.MaxLevel == nil {
		return level.L8
	}
	return *g.MaxLevel
}

// clone returns a deep copy of g.
func (g Group) clone() Group {
	g.Categories = slices.Clone(g.Categories)
	g.ContentTypes = slices.Clone(g.ContentTypes)
	g.Criteria = slices.Clone(g.Criteria)
	for i := range g.Criteria {
		c := &g.Criteria[i]
		c.OneOf = slices.Clone(c.OneOf)
		if c.Min != nil {
			v := *c.Min
			c.Min = &v
		}
		if c.Max != nil {
			v := *c.Max
			c.Max = &v
		}
	}
	if g.MaxLevel != nil {
		v := *g.MaxLevel
		g.MaxLevel = &v
	}
	return g
}

// check adds every problem of g to l: an empty ID, inverted or invalid ranges, a criterion
// without an attribute or a condition.
func (g Group) check(l *fielderr.List, field string) {
	l.Append(bounds.ID(pkg, field+".id", g.ID))
	maxLevel := g.maxLevel()
	if !g.MinLevel.Valid() || !maxLevel.Valid() || g.MinLevel > maxLevel {
		f := field + ".min_level" // the bound out of L0–L8, or the min above the max
		if g.MinLevel.Valid() && !maxLevel.Valid() {
			f = field + ".max_level"
		}
		l.Add(f, g.MinLevel.String()+"–"+maxLevel.String(), "must be a range of levels L0–L8, min not above max (%s): %w", RuleGroups, affrules.ErrOutOfRange)
	}
	if !g.MaxAvgRate.IsZero() && g.MinAvgRate.Cmp(g.MaxAvgRate) > 0 {
		l.Add(field+".min_avg_rate", g.MinAvgRate, "is above max_avg_rate %s (%s): %w", g.MaxAvgRate, RuleGroups, affrules.ErrOutOfRange)
	}
	if g.MinFollowers < 0 || g.MaxFollowers < 0 {
		l.Add(field+".min_followers", g.MinFollowers, "follower bounds %w", affrules.ErrNegative)
	} else if g.MaxFollowers != 0 && g.MinFollowers > g.MaxFollowers {
		l.Add(field+".min_followers", g.MinFollowers, "is above max_followers %d (%s): %w", g.MaxFollowers, RuleGroups, affrules.ErrOutOfRange)
	}
	if g.MaxRisk > HighRisk {
		l.Add(field+".max_risk", int(g.MaxRisk), "%w", affrules.ErrOutOfRange)
	}
	for i, c := range g.Categories {
		if c == "" {
			l.Add(field+".categories["+strconv.Itoa(i)+"]", "", "must not be empty")
		}
	}
	for i, c := range g.ContentTypes {
		if c == "" {
			l.Add(field+".content_types["+strconv.Itoa(i)+"]", "", "must not be empty")
		}
	}
	for i, c := range g.Criteria {
		f := field + ".criteria[" + strconv.Itoa(i) + "]"
		if c.Attribute == "" {
			l.Add(f+".attribute", "", "must not be empty")
		}
		numeric := c.Min != nil || c.Max != nil
		switch {
		case len(c.OneOf) == 0 && !numeric:
			l.Add(f, c.Attribute, "must give one_of or a min or max")
		case len(c.OneOf) > 0 && numeric:
			l.Add(f, c.Attribute, "must give one_of or a range, not both")
		case c.Min != nil && bounds.Decimal(pkg, f+".min", *c.Min) != nil:
			l.Append(bounds.Decimal(pkg, f+".min", *c.Min))
		case c.Max != nil && bounds.Decimal(pkg, f+".max", *c.Max) != nil:
			l.Append(bounds.Decimal(pkg, f+".max", *c.Max))
		case c.Min != nil && c.Max != nil && c.Min.GreaterThan(*c.Max):
			l.Add(f+".min", c.Min.String(), "is above max %s: %w", c.Max.String(), affrules.ErrOutOfRange)
		}
	}
}

// Messages of CP-4's reasons: observed the creator's value, limit the group's condition.
var (
	keyCategory = affrules.DefineMessage("collabplus.cp4.category", affrules.Message{
		Text: "creator does not promote the group's categories", Observed: "{observed}", Limit: "one of {limit}",
	})
	keyLevelLow = affrules.DefineMessage("collabplus.cp4.level_low", affrules.Message{
		Text: "creator level below the group's range", Observed: "{observed}", Limit: "at least {limit}",
	})
	keyLevelHigh = affrules.DefineMessage("collabplus.cp4.level_high", affrules.Message{
		Text: "creator level above the group's range", Observed: "{observed}", Limit: "at most {limit}",
	})
	keyAvgRateLow = affrules.DefineMessage("collabplus.cp4.avg_rate_low", affrules.Message{
		Text: "average commission rate below the group's range", Observed: "{observed}", Limit: "at least {limit}",
	})
	keyAvgRateHigh = affrules.DefineMessage("collabplus.cp4.avg_rate_high", affrules.Message{
		Text: "average commission rate above the group's range", Observed: "{observed}", Limit: "at most {limit}",
	})
	keyContentType = affrules.DefineMessage("collabplus.cp4.content_type", affrules.Message{
		Text: "creator does not make the group's content types", Observed: "{observed}", Limit: "one of {limit}",
	})
	keyFollowersLow = affrules.DefineMessage("collabplus.cp4.followers_low", affrules.Message{
		Text: "follower count below the group's range", Observed: "{observed}", Limit: "at least {limit}",
	})
	keyFollowersHigh = affrules.DefineMessage("collabplus.cp4.followers_high", affrules.Message{
		Text: "follower count above the group's range", Observed: "{observed}", Limit: "at most {limit}",
	})
	keyRisk = affrules.DefineMessage("collabplus.cp4.risk", affrules.Message{
		Text: "fake-order risk above the group's limit", Observed: "{observed}", Limit: "at most {limit}",
	})
	keyCriterion = affrules.DefineMessage("collabplus.cp4.criterion", affrules.Message{
		Text: "creator does not meet the group's condition on {subject}", Observed: "{observed}", Limit: "{limit}",
	})
)

// Match decides whether creator c matches group g (CP-4): allowed when every condition holds,
// else denied with a reason for every attribute that failed, each observing the creator's value
// and limited by the group's condition. A creator is matched once, when joining, against the
// group of the collaboration's final terms (CP-15); later changes do not remove them.
func (g Group) Match(c Creator) affrules.Decision {
	var rs []affrules.Reason
	fail := func(key affrules.MessageKey, observed, limit affrules.Value) {
		rs = append(rs, affrules.Reason{Rule: RuleGroups, Key: key, Observed: observed, Limit: limit, Subject: c.ID})
	}
	if len(g.Categories) > 0 && !overlap(g.Categories, c.Categories) {
		fail(keyCategory, affrules.Text(joinCats(c.Categories)), affrules.Text(joinCats(g.Categories)))
	}
	switch maxLevel := g.maxLevel(); {
	case c.Level < g.MinLevel:
		fail(keyLevelLow, affrules.LevelOf(int(c.Level)), affrules.LevelOf(int(g.MinLevel)))
	case c.Level > maxLevel:
		fail(keyLevelHigh, affrules.LevelOf(int(c.Level)), affrules.LevelOf(int(maxLevel)))
	}
	switch {
	case c.AvgRate.Cmp(g.MinAvgRate) < 0:
		fail(keyAvgRateLow, affrules.RateOf(c.AvgRate), affrules.RateOf(g.MinAvgRate))
	case !g.MaxAvgRate.IsZero() && c.AvgRate.Cmp(g.MaxAvgRate) > 0:
		fail(keyAvgRateHigh, affrules.RateOf(c.AvgRate), affrules.RateOf(g.MaxAvgRate))
	}
	if len(g.ContentTypes) > 0 && !overlap(lower(g.ContentTypes), lower(c.ContentTypes)) { // content types compare ignoring case, as CP-18's do
		fail(keyContentType, affrules.Text(strings.Join(c.ContentTypes, ", ")), affrules.Text(strings.Join(g.ContentTypes, ", ")))
	}
	switch {
	case c.Followers < g.MinFollowers:
		fail(keyFollowersLow, affrules.Count(c.Followers), affrules.Count(g.MinFollowers))
	case g.MaxFollowers != 0 && c.Followers > g.MaxFollowers:
		fail(keyFollowersHigh, affrules.Count(c.Followers), affrules.Count(g.MaxFollowers))
	}
	if g.MaxRisk != 0 && (c.Risk == 0 || c.Risk > g.MaxRisk) {
		observed := c.Risk.String()
		if c.Risk == 0 {
			observed = "unknown"
		}
		fail(keyRisk, affrules.Text(observed), affrules.Text(g.MaxRisk.String()))
	}
	for _, cr := range g.Criteria {
		v, ok := c.Attributes[cr.Attribute]
		if !criterionHolds(cr, v, ok) {
			if !ok {
				v = "none"
			}
			r := affrules.Reason{Rule: RuleGroups, Key: keyCriterion, Observed: affrules.Text(v), Limit: affrules.Text(criterionText(cr)), Subject: cr.Attribute}
			rs = append(rs, r)
		}
	}
	return affrules.Decide(rs...)
}

// lower returns the content types folded, so that two compare equal exactly when
// strings.EqualFold holds of them without spaces at their ends (CP-4 and CP-18 compare content
// types alike).
func lower(types []string) []string {
	out := make([]string, len(types))
	for i, t := range types {
		out[i] = fold(t)
	}
	return out
}

// fold maps each rune of s, without its spaces at the ends, to the smallest rune of its
// case-folding orbit (unicode.SimpleFold), as strings.EqualFold compares them: the one
// comparison of content types, so that "live " in a collaboration's terms is the policy's "live"
// (LVL-11, CP-18) as it is a creator's (CP-4).
func fold(s string) string {
	return strings.Map(func(r rune) rune {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		return least
	}, strings.TrimSpace(s))
}

// overlap reports whether a and b share a value, with a set of the longer when both are long, so
// that no pair of lists makes a match slow.
func overlap[S ~string](a, b []S) bool {
	if len(a)*len(b) <= 256 {
		return slices.ContainsFunc(b, func(x S) bool { return slices.Contains(a, x) })
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	set := make(map[S]struct{}, len(a))
	for _, x := range a {
		set[x] = struct{}{}
	}
	for _, x := range b {
		if _, ok := set[x]; ok {
			return true
		}
	}
	return false
}

// criterionHolds reports whether value v (present when ok) meets criterion cr.
func criterionHolds(cr Criterion, v string, ok bool) bool {
	if !ok {
		return false
	}
	if len(cr.OneOf) > 0 {
		return slices.Contains(cr.OneOf, v)
	}
	d, err := decimal.NewFromString(v)
	if err != nil || bounds.Decimal(pkg, "attribute", d) != nil { // no comparison made slow by input
		return false
	}
	return (cr.Min == nil || !d.LessThan(*cr.Min)) && (cr.Max == nil || !d.GreaterThan(*cr.Max))
}

func criterionText(cr Criterion) string {
	if len(cr.OneOf) > 0 {
		return "one of " + strings.Join(cr.OneOf, ", ")
	}
	lo, hi := "", ""
	if cr.Min != nil {
		lo = cr.Min.String()
	}
	if cr.Max != nil {
		hi = cr.Max.String()
	}
	return lo + "–" + hi
}

func joinCats(cs []affrules.Category) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
