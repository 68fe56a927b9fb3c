package collabplus

import (
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
	"github.com/affrules/affrules/level"
)

// Type is a collaboration's type (CP-1). The zero value is not a type.
type Type uint8

// The two types (CP-1).
const (
	_ Type = iota
	// Task rewards a creator for completing every assigned task (CP-5, CP-18).
	Task
	// Challenge rewards creators by their rank on GMV or orders (CP-6).
	Challenge
)

var typeNames = enum.Names[Type]{"", "task", "challenge"}

// String returns "task" or "challenge".
func (t Type) String() string { return typeNames.String("Type", t) }

// MarshalText returns the type's name, or an error for an unknown one.
func (t Type) MarshalText() ([]byte, error) {
	if t != Task && t != Challenge {
		return nil, fielderr.New(pkg, "type", int(t), "%w", affrules.ErrOutOfRange)
	}
	b, _ := typeNames.Text(t)
	return b, nil
}

// UnmarshalText parses a type's name.
func (t *Type) UnmarshalText(b []byte) error {
	v, ok := typeNames.Parse(b)
	if !ok || v == 0 {
		return fielderr.New(pkg, "type", strconv.Quote(string(b)), "must be task or challenge")
	}
	*t = v
	return nil
}

// Goal is what a task or a challenge counts (CP-6, CP-18). The zero value is not a goal.
type Goal uint8

// Goals.
const (
	_ Goal = iota
	// Sales counts GMV, in the market's currency.
	Sales
	// Orders counts attributed orders (COM-13).
	Orders
	// Content counts pieces of content posted; for tasks only.
	Content
)

var goalNames = enum.Names[Goal]{"", "sales", "orders", "content"}

// String returns "sales", "orders" or "content".
func (g Goal) String() string { return goalNames.String("Goal", g) }

// shown is the goal as an error names it: its name, quoted, or its number if it has none.
func (g Goal) shown() any {
	if g < Sales || g > Content {
		return int(g)
	}
	return strconv.Quote(g.String())
}

// MarshalText returns the goal's name, or an error for an unknown one.
func (g Goal) MarshalText() ([]byte, error) {
	if g < Sales || g > Content {
		return nil, fielderr.New(pkg, "goal", int(g), "%w", affrules.ErrOutOfRange)
	}
	b, _ := goalNames.Text(g)
	return b, nil
}

// UnmarshalText parses a goal's name.
func (g *Goal) UnmarshalText(b []byte) error {
	v, ok := goalNames.Parse(b)
	if !ok || v == 0 {
		return fielderr.New(pkg, "goal", strconv.Quote(string(b)), "must be sales, orders or content")
	}
	*g = v
	return nil
}

// TaskSpec is one task of a task collaboration (CP-18): a content type (data, such as "video"
// or "live"), a goal and the target to reach, counted from the creator's join to the end.
type TaskSpec struct {
	ContentType string `json:"content_type"`
	Goal        Goal   `json:"goal,omitzero"` // left out while a draft has none yet
	// Target is GMV in the market's currency for [Sales], a whole count for [Orders] and
	// [Content]; above zero.
	Target decimal.Decimal `json:"target"`
}

// RankTier is one tier of a challenge's rewards (CP-6): the creators ranked up to and including
// rank To (and below the previous tier's) earn Reward each.
type RankTier struct {
	To     int             `json:"to"`
	Reward decimal.Decimal `json:"reward"`
}

// Objective is one objective of a collaboration's deposit (CP-9): its part of the deposit and
// the target it is charged against.
type Objective struct {
	Name   string          `json:"name"`
	Budget decimal.Decimal `json:"budget"`
	Target decimal.Decimal `json:"target"`
}

// Product is a product of a collaboration with its optional exclusive rates (CP-8, COM-4): a
// zero Rate sets no exclusive standard rate (the Open rate applies), a zero ShopAds no
// exclusive shop-ads rate.
type Product struct {
	ID      string        `json:"id"`
	Rate    affrules.Rate `json:"rate,omitzero" strict:"optional"`
	ShopAds affrules.Rate `json:"shop_ads,omitzero" strict:"optional"`
}

// Terms are a collaboration's settings: the seller's preferences, or the platform's final
// terms (CP-15).
type Terms struct {
	Type Type `json:"type,omitzero"` // left out while a draft has none yet
	// Period is [first day's local midnight, the local midnight after the last day) in the
	// seller's market (CP-2).
	Period   affrules.Period `json:"period"`
	Products []Product       `json:"products"`
	// Group is the ID of the seller's creator group the collaboration is for (CP-4).
	Group string `json:"group"`
	// Tasks and Reward are a task collaboration's (CP-5, CP-18): the reward each creator
	// earns for completing every task.
	Tasks  []TaskSpec      `json:"tasks,omitempty" strict:"optional"`
	Reward decimal.Decimal `json:"reward,omitzero" strict:"optional"`
	// Goal and Tiers are a challenge's (CP-6): sales or orders, and rewards by rank.
	Goal  Goal       `json:"goal,omitzero" strict:"optional"`
	Tiers []RankTier `json:"tiers,omitempty" strict:"optional"`
	// Objectives divide the deposit (CP-9); the deposit is the sum of their budgets.
	Objectives []Objective `json:"objectives"`
	// FreeSamples and RefundableSamples say which samples the collaboration offers (SMP-12).
	FreeSamples       bool `json:"free_samples,omitempty" strict:"optional"`
	RefundableSamples bool `json:"refundable_samples,omitempty" strict:"optional"`
	// AuthoriseVideos prompts creators to authorise their videos for ads (CP-19, COM-6).
	AuthoriseVideos bool `json:"authorise_videos,omitempty" strict:"optional"`
	// WhatsApp is the seller's optional WhatsApp number (CP-19).
	WhatsApp string `json:"whatsapp,omitempty" strict:"optional"`
}

// Deposit returns the sum of the objectives' budgets: what the seller pays (CP-9).
func (t Terms) Deposit() decimal.Decimal {
	sum := decimal.Zero
	for _, o := range t.Objectives {
		sum = sum.Add(o.Budget)
	}
	return sum
}

// Clone returns a deep copy of t, to change without changing t.
func (t Terms) Clone() Terms {
	t.Products = slices.Clone(t.Products)
	t.Tasks = slices.Clone(t.Tasks)
	t.Tiers = slices.Clone(t.Tiers)
	t.Objectives = slices.Clone(t.Objectives)
	return t
}

// Member is a creator who joined a collaboration, and when (CP-4, COM-3).
type Member struct {
	Creator string    `json:"creator"`
	Joined  time.Time `json:"joined"`
	// Kind is the creator's kind when they joined (LVL-11), for [Evaluator.TaskReward].
	Kind level.Kind `json:"kind,omitzero"`
}

// Collaboration is one Collaboration Plus of a seller: the seller's preferences, the
// platform's final terms once set, its lifecycle events and its members. Its state at an
// instant is [Collaboration.StateAt], a pure function of the events and the instant (CP-7).
type Collaboration struct {
	ID          string              `json:"id"`
	Market      affrules.MarketCode `json:"market"`
	Preferences Terms               `json:"preferences"`
	// Final are the platform's final terms (CP-15); nil until it sets them. Evaluators use
	// [Collaboration.Terms].
	Final *Terms `json:"final,omitempty" strict:"optional"`
	// Group is the creator group of [Collaboration.Terms] as it was when the collaboration was
	// submitted or its final terms set (CP-4, CP-15): creators joining are matched against it,
	// whatever the seller changes in the group later. Nil while a draft.
	Group *Group `json:"group,omitempty" strict:"optional"`
	// Events are the lifecycle events, in order (CP-7).
	Events  []Event  `json:"events,omitempty" strict:"optional"`
	Members []Member `json:"members,omitempty" strict:"optional"`
	// Ended lists the products whose participation a disqualification ended, and when
	// (ELG-11): their offers end then.
	Ended []ProductEnd `json:"ended,omitempty" strict:"optional"`
}

// ProductEnd is a product's participation ended at instant At by a permanent disqualification,
// or a temporary one under [Policy].TemporaryEndsParticipation (ELG-11).
type ProductEnd struct {
	Product string    `json:"product"`
	At      time.Time `json:"at"`
	// Temporary marks an end by a temporary disqualification ([Policy].TemporaryEndsParticipation):
	// the product may take part in later collaborations once eligible. A permanent
	// disqualification after it makes it permanent.
	Temporary bool `json:"temporary,omitempty"`
}

// Terms returns the terms evaluators use (CP-15): the final terms once the platform set them,
// else the seller's preferences.
func (c Collaboration) Terms() Terms {
	if c.Final != nil {
		return *c.Final
	}
	return c.Preferences
}

// clone returns a deep copy of c.
func (c Collaboration) clone() Collaboration {
	c.Preferences = c.Preferences.Clone()
	if c.Final != nil {
		f := c.Final.Clone()
		c.Final = &f
	}
	if c.Group != nil {
		g := c.Group.clone()
		c.Group = &g
	}
	c.Events = slices.Clone(c.Events)
	c.Members = slices.Clone(c.Members)
	c.Ended = slices.Clone(c.Ended)
	return c
}

// calendarDays returns the number of calendar days in market mk's zone that period p covers,
// counting its first and last day (CP-2: Feb 1–10 is 10 days), and whether p is whole days:
// from one local midnight to another. The period is half-open (MKT-2): its last day is that of
// its last instant, End − 1 ns, so a period from 10:00 on 1 March to midnight starting 21 March
// covers 1–20 March, 20 days. An empty period covers none.
func calendarDays(mk affrules.Market, p affrules.Period) (int, bool) {
	loc := mk.Location()
	whole := mk.Day(p.Start).Start.Equal(p.Start) && mk.Day(p.End).Start.Equal(p.End)
	if !p.End.After(p.Start) {
		return 0, whole
	}
	y1, m1, d1 := p.Start.In(loc).Date()
	y2, m2, d2 := p.End.Add(-time.Nanosecond).In(loc).Date()
	a := time.Date(y1, m1, d1, 12, 0, 0, 0, time.UTC)
	b := time.Date(y2, m2, d2, 12, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours()/24+0.5) + 1, whole
}
