package collabplus

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/internal/bounds"
	"github.com/affrules/affrules/internal/fielderr"
)

// Submission is one entry of a seller's creation log (CP-3): a collaboration submitted for
// payment, and when.
type Submission struct {
	Collaboration string    `json:"collaboration"`
	At            time.Time `json:"at"`
}

// Seller is everything the Collaboration Plus rules keep for one seller: its creator groups
// (CP-4), its blocklist (CP-13), its creation log (CP-3), its collaborations (CP-7) and when
// its shop's permanent disqualification was recorded (ELG-6, ELG-11). It is
// one record so that a [Store] applies each [Action] to it atomically: a submission under the
// quota, a join under the blocklist. Build one with [Evaluator.NewSeller]; change it with
// [Evaluator.Apply]. A [Store] creates only a record as NewSeller makes it ([Seller.Validate]):
// groups, blocklist, creation log, collaborations and a disqualification are the rules' to add.
type Seller struct {
	ID             string              `json:"id"`
	Market         affrules.MarketCode `json:"market"`
	Groups         []Group             `json:"groups,omitempty" strict:"optional"`
	Blocklist      Blocklist           `json:"blocklist,omitempty" strict:"optional"`
	Submissions    []Submission        `json:"submissions,omitempty" strict:"optional"`
	Collaborations []Collaboration     `json:"collaborations,omitempty" strict:"optional"`
	// Disqualified is when a permanent disqualification of the seller's shop was recorded
	// ([Disqualify] with a shop-scoped result, ELG-6, ELG-11), the zero time if none was: from
	// then on every submission is refused, whatever eligibility results are given.
	Disqualified time.Time `json:"disqualified,omitzero" strict:"optional"`
	// Updated is the instant of the last change; actions are applied at or after it.
	Updated time.Time `json:"updated"`
}

// Validate reports what a new seller's record needs whatever the policy, every problem at once:
// an ID as [Evaluator.NewSeller] checks it, a registered market, an instant of last change
// within bounds, and nothing that only [Evaluator.Apply] sets: no groups (CP-4, [SaveGroup]), no
// blocklist (CP-13, [BlockCreator]), no creation log (CP-3, [Submit]), no collaborations
// (CP-2, CP-3, CP-4, CP-7: [NewDraft] and the lifecycle) and no disqualification (ELG-6,
// ELG-11, [Disqualify]). A [Store]'s Create refuses a record
// that fails it, so a record built by hand without a market or an instant is refused when
// stored, not at its first action, and one holding collaborations, groups or a history the
// rules never checked (a period CP-2 refuses, a submission over the quota, a payment never
// made, a group never saved) is never stored. A record [Evaluator.Apply] returned is not new,
// and fails it.
func (s Seller) Validate() error {
	l := fielderr.For(pkg)
	l.Append(bounds.ID(pkg, "seller.id", s.ID))
	if _, err := affrules.LookupMarket(s.Market); err != nil {
		l.Add("seller.market", strconv.Quote(string(s.Market)), "%w", affrules.ErrUnknownMarket)
	}
	l.Append(bounds.Instant(pkg, "seller.updated", s.Updated))
	// What NewSeller leaves empty: each is set by Apply, under the rules named.
	if len(s.Groups) > 0 {
		l.Add("seller.groups", len(s.Groups), "are saved by Evaluator.Apply with SaveGroup (%s): a new record has none, leave them out", RuleGroups)
	}
	if len(s.Blocklist) > 0 {
		l.Add("seller.blocklist", len(s.Blocklist), "is changed by Evaluator.Apply with BlockCreator and UnblockCreator (%s): a new record has none, leave it out", RuleBlocklist)
	}
	if len(s.Submissions) > 0 {
		l.Add("seller.submissions", len(s.Submissions), "are logged by Evaluator.Apply with Submit (%s): a new record has none, leave them out", RuleQuota)
	}
	if len(s.Collaborations) > 0 {
		l.Add("seller.collaborations", len(s.Collaborations), "are added by Evaluator.Apply with NewDraft and moved on by the rules (%s, %s, %s, %s): a new record has none, leave them out",
			RuleDuration, RuleQuota, RuleGroups, RuleLifecycle)
	}
	if !s.Disqualified.IsZero() {
		l.Add("seller.disqualified", s.Disqualified.Format(time.RFC3339Nano), "is recorded by Evaluator.Apply with Disqualify (%s): a new record has none, leave it out", RuleLaterDisqualification)
	}
	return l.Err()
}

// clone returns a deep copy of s.
func (s Seller) clone() Seller {
	s.Groups = slices.Clone(s.Groups)
	for i := range s.Groups {
		s.Groups[i] = s.Groups[i].clone()
	}
	s.Blocklist = slices.Clone(s.Blocklist)
	s.Submissions = slices.Clone(s.Submissions)
	s.Collaborations = slices.Clone(s.Collaborations)
	for i := range s.Collaborations {
		s.Collaborations[i] = s.Collaborations[i].clone()
	}
	return s
}

// collab returns the index of collaboration id, or -1.
func (s *Seller) collab(id string) int {
	return slices.IndexFunc(s.Collaborations, func(c Collaboration) bool { return c.ID == id })
}

// lastCollab returns the index of the last collaboration id, or -1, searching from the latest.
func (s *Seller) lastCollab(id string) int {
	for i := len(s.Collaborations) - 1; i >= 0; i-- {
		if s.Collaborations[i].ID == id {
			return i
		}
	}
	return -1
}

// group returns the seller's group id, if any.
func (s *Seller) group(id string) (Group, bool) {
	i := slices.IndexFunc(s.Groups, func(g Group) bool { return g.ID == id })
	if i < 0 {
		return Group{}, false
	}
	return s.Groups[i], true
}

// NewSeller returns the empty record of seller id in market m, created at instant at. The
// market must be one where Collaboration Plus runs ([Policy.Markets]).
func (e *Evaluator) NewSeller(id string, m affrules.MarketCode, at time.Time) (Seller, error) {
	if err := e.ready(); err != nil {
		return Seller{}, err
	}
	l := fielderr.For(pkg)
	l.Append(bounds.ID(pkg, "seller.id", id))
	if _, ok := e.market(m); !ok {
		l.Add("seller.market", strconv.Quote(string(m)), "Collaboration Plus does not run there (policy markets %v): %w", e.policy.Markets, affrules.ErrUnknownMarket)
	}
	l.Append(bounds.Instant(pkg, "at", at))
	if err := l.Err(); err != nil {
		return Seller{}, err
	}
	return Seller{ID: id, Market: m, Updated: at}, nil
}

type actionKind uint8

const (
	_ actionKind = iota
	actSaveGroup
	actBlock
	actUnblock
	actDraft
	actEdit
	actSubmit
	actPay
	actRecall
	actFinalize
	actJoin
	actDisqualify
)

var actionNames = [...]string{"", "save_group", "block", "unblock", "draft", "edit", "submit", "pay", "recall", "finalize", "join", "disqualify"}

// Action is one change to a seller's record, applied by [Evaluator.Apply] at an instant. Build
// it with [SaveGroup], [BlockCreator], [UnblockCreator], [NewDraft], [Edit], [Submit], [Pay],
// [Recall], [Finalize], [Join] or [Disqualify]. The zero Action is refused.
type Action struct {
	kind    actionKind
	id      string // the collaboration, or the creator blocked or unblocked
	group   Group
	collab  Collaboration
	terms   Terms
	facts   Facts
	method  string
	creator Creator
	elig    eligibility.Result
}

// String names the action and its subject.
func (a Action) String() string {
	if a.kind == 0 || int(a.kind) >= len(actionNames) {
		return "no action"
	}
	switch a.kind {
	case actSaveGroup:
		return "save_group " + strconv.Quote(a.group.ID)
	case actDraft:
		return "draft " + strconv.Quote(a.collab.ID)
	case actJoin:
		return "join " + strconv.Quote(a.id) + " by " + strconv.Quote(a.creator.ID)
	case actDisqualify:
		return "disqualify " + strconv.Quote(a.elig.ID)
	}
	return actionNames[a.kind] + " " + strconv.Quote(a.id)
}

// Facts are what the host knows at a submission (CP-8, CP-17, ELG-9): whether the seller is
// allowlisted, each product's eligibility evaluated then (one result per product: two for one
// product are an error), and the products' Open Collaboration offers, if they are listed there
// (an offer of another product, or two of one product that commission would not list together,
// are an error).
type Facts struct {
	Allowlisted bool
	Eligibility []eligibility.Result
	Open        []commission.Offer
}

// SaveGroup adds creator group g, or replaces the group with its ID (CP-4). A seller keeps at
// most [Policy.MaxGroups]; collaborations already submitted keep the group as it was.
func SaveGroup(g Group) Action { return Action{kind: actSaveGroup, group: g.clone()} }

// BlockCreator blocks creator from the instant applied (CP-13).
func BlockCreator(creator string) Action { return Action{kind: actBlock, id: creator} }

// UnblockCreator unblocks creator from the instant applied (CP-13): it counts for collaborations
// published after it.
func UnblockCreator(creator string) Action { return Action{kind: actUnblock, id: creator} }

// NewDraft adds collaboration c as a draft (CP-7): its ID and preferences; no events, final terms,
// group or members. The preferences may be incomplete: their shape is checked at [Submit].
func NewDraft(c Collaboration) Action { return Action{kind: actDraft, collab: c.clone()} }

// Edit replaces the preferences of draft collaboration id (CP-7: no edits from pending payment
// on), checked at [Submit] as a draft's are.
func Edit(id string, t Terms) Action { return Action{kind: actEdit, id: id, terms: t.Clone()} }

// Submit submits draft collaboration id for payment (CP-7), given the facts known then. It checks
// CP-2, CP-3, CP-8, CP-17 and ELG-9 (and SMP-12 and CP-19 where the policy adds them), records the
// submission in the creation log and opens the payment window. An eligibility result whose
// temporary disqualification says it lifted by the submission is from an earlier instant: bad
// input, as eligibility.Evaluator.Product refuses such a shop result.
func Submit(id string, f Facts) Action {
	f.Eligibility = slices.Clone(f.Eligibility)
	f.Open = slices.Clone(f.Open)
	for i := range f.Open {
		f.Open[i] = f.Open[i].Clone() // its tiers too: the action is judged on the facts as given
	}
	return Action{kind: actSubmit, id: id, facts: f}
}

// Pay records the payment of collaboration id inside its payment window, by method (CP-7): it
// is published. It is refused once every product's participation has ended (ELG-11): no creator
// could join it.
func Pay(id, method string) Action { return Action{kind: actPay, id: id, method: method} }

// Recall recalls paid collaboration id before its start (CP-7); an ongoing one cannot be
// cancelled.
func Recall(id string) Action { return Action{kind: actRecall, id: id} }

// Finalize records the platform's final terms of collaboration id, pending payment or paid and
// not started (CP-15).
func Finalize(id string, t Terms) Action { return Action{kind: actFinalize, id: id, terms: t.Clone()} }

// Join records creator c joining ongoing collaboration id (CP-4, CP-7, CP-13).
func Join(id string, c Creator) Action {
	c.Categories = slices.Clone(c.Categories)
	c.ContentTypes = slices.Clone(c.ContentTypes)
	c.Attributes = maps.Clone(c.Attributes)
	return Action{kind: actJoin, id: id, creator: c}
}

// Disqualify records a permanent disqualification of a product, or of the seller's shop,
// evaluated after submission (ELG-11; a temporary one too under
// [Policy.TemporaryEndsParticipation]): the product (every product, for a shop-scoped result)
// takes no further part in the seller's collaborations that have not ended, expired or been
// recalled; its offers end at the instant applied and earlier orders keep their rate. A
// shop-scoped one is also recorded on the seller (Seller.Disqualified, ELG-6), whether or not
// anything was running, and refuses every later submission. A temporary disqualification
// changes nothing in a running collaboration and is refused, unless
// [Policy.TemporaryEndsParticipation] has it end the product's part too, but not for good (its
// ends are marked Temporary, a later submission with the product eligible again is allowed,
// nothing is recorded on the seller, and a result that had lifted by then is bad input); a
// permanent one after it makes its ends permanent. A permanent one under
// [Policy.PermanentEndsParticipation] false is refused, and so is one that changes nothing.
func Disqualify(r eligibility.Result) Action { return Action{kind: actDisqualify, elig: r} }

// refuse returns an [*affrules.Refusal] of action for reasons, or nil when there are none; next
// is when the action will be allowed, if time alone is the obstacle.
func refuse(action, subject string, next time.Time, reasons ...affrules.Reason) error {
	if len(reasons) == 0 {
		return nil
	}
	d := affrules.Decide(reasons...)
	d.NextAllowed = bounds.Next(next)
	return &affrules.Refusal{Pkg: pkg, Action: action, Subject: subject, Decision: d}
}

var (
	keyState = affrules.DefineMessage("collabplus.cp7.state", affrules.Message{
		Text: "not possible in this state", Observed: "{observed}", Limit: "needs {limit}",
	})
	keyPaymentLate = affrules.DefineMessage("collabplus.cp7.payment_late", affrules.Message{
		Text: "payment after the payment window", Observed: "at {observed}", Limit: "due before {limit}",
	})
	keyOngoing = affrules.DefineMessage("collabplus.cp7.ongoing", affrules.Message{
		Text: "an ongoing collaboration cannot be cancelled", Observed: "{observed}",
	})
	// SMP-12 under Policy.OneSampleKind: observed "free and refundable", limit "one kind";
	// subject the collaboration.
	keyOneSampleKind = affrules.DefineMessage("collabplus.smp12.one_kind", affrules.Message{
		Text: "both kinds of sample offered: the policy allows one", Observed: "{observed}", Limit: "{limit}",
	})
	// CP-19 under Policy.ShopAdsNeedVideoPrompt: observed the exclusive shop-ads rate, limit the
	// prompt's setting needed ("on"); subject the product.
	keyVideoPromptNeeded = affrules.DefineMessage("collabplus.cp19.video_prompt_needed", affrules.Message{
		Text:     "an exclusive shop-ads rate for {subject} needs creators prompted to authorise their videos",
		Observed: "shop-ads rate {observed}", Limit: "prompt {limit}",
	})
	keyStarted = affrules.DefineMessage("collabplus.cp7.started", affrules.Message{
		Text: "the period starts before the submission", Observed: "submitted {observed}", Limit: "starts {limit}",
	})
	keyPayStarted = affrules.DefineMessage("collabplus.cp7.pay_started", affrules.Message{
		Text: "payment after the period started", Observed: "at {observed}", Limit: "started {limit}",
	})
	keyFinalStarted = affrules.DefineMessage("collabplus.cp7.final_started", affrules.Message{
		Text: "final terms cannot be set once the collaboration has started", Observed: "at {observed}", Limit: "started {limit}",
	})
	keyMember = affrules.DefineMessage("collabplus.cp7.member", affrules.Message{
		Text: "creator has joined already", Observed: "joined {observed}",
	})
	keyTooManyGroups = affrules.DefineMessage("collabplus.cp4.too_many_groups", affrules.Message{
		Text: "seller has the most creator groups allowed", Observed: "{observed} groups", Limit: "at most {limit}",
	})
)

// Apply applies action a to seller s at instant at and returns the changed record, with Updated
// set to at. s is not changed: an error returns s as it was, and nothing is to be recorded. The
// record returned shares with s the parts the action left alone (a collaboration it did not
// touch, the groups when it saved none): treat records as values, changed only through Apply; a
// [Store] keeps its own copy.
//
// Bad input is a [*affrules.FieldError] (several joined): at out of the library's bounds or before
// the record's last change; a record without its last change (Updated zero or out of bounds, as
// JSON that lost "updated" reads), or a submitted collaboration without its group when a creator
// joins; terms of the wrong shape (a period not of whole days in the seller's market, an unknown
// group, a rate outside the bounds, an amount not exact to the minor unit, tasks on a challenge),
// checked where the terms are acted on: the preferences at Submit, final terms at Finalize (a draft
// and its edits hold the preferences as the seller writes them, complete or not); a facts'
// eligibility result missing or of another product; an unknown payment method or collaboration. A
// business "no" is an [*affrules.Refusal] whose decision lists every failing rule: an action in the
// wrong state (CP-7, naming the state and the action), the quota (CP-3, with the instant the next
// slot opens), the allowlist (CP-17), the duration (CP-2), an ineligible product (ELG-9), an
// exclusive rate not above the Open rate (CP-8), both kinds of sample or a shop-ads rate without
// the video prompt where the policy refuses them (SMP-12, CP-19), a 101st group (CP-4), a creator
// outside the group (CP-4, every attribute that failed) or blocked (CP-13).
func (e *Evaluator) Apply(s Seller, a Action, at time.Time) (Seller, error) {
	if err := e.ready(); err != nil {
		return s, err
	}
	l := fielderr.For(pkg)
	if err := bounds.Instant(pkg, "at", at); err != nil {
		l.Append(err)
	} else if at.Before(s.Updated) {
		l.Add("at", at.Format(time.RFC3339Nano), "is before the seller's last change at %s: instants only move forward", s.Updated.Format(time.RFC3339Nano))
	}
	if s.ID == "" {
		l.Add("seller.id", "", "must not be empty: build the record with NewSeller")
	}
	// A record read back without its last change (a host's JSON that lost "updated") would let
	// an action dated before its events through.
	l.Append(bounds.Instant(pkg, "seller.updated", s.Updated))
	mk, ok := e.market(s.Market)
	if !ok {
		l.Add("seller.market", strconv.Quote(string(s.Market)), "Collaboration Plus does not run there: %w", affrules.ErrUnknownMarket)
	}
	if a.kind == 0 || int(a.kind) >= len(actionNames) {
		l.Add("action", "none", "must be built with SaveGroup, BlockCreator, UnblockCreator, NewDraft, Edit, Submit, Pay, Recall, Finalize, Join or Disqualify")
	}
	if err := l.Err(); err != nil {
		return s, err
	}
	// Copy on write: n shares with s what the action leaves alone and owns what it changes, so
	// s is never changed and an action costs what it touches, not the whole record.
	n := s
	n.Groups = slices.Clip(s.Groups)
	n.Blocklist = slices.Clip(s.Blocklist)
	n.Submissions = slices.Clip(s.Submissions)
	n.Collaborations = slices.Clip(s.Collaborations)
	var err error
	switch a.kind {
	case actSaveGroup:
		n.Groups = slices.Clone(s.Groups)
		err = e.saveGroup(&n, a)
	case actBlock, actUnblock:
		err = block(&n, a, at)
	case actDraft:
		err = e.draft(&n, a)
	case actDisqualify:
		n = s.clone()
		err = e.disqualify(&n, a, at)
	default:
		n.Collaborations = slices.Clone(s.Collaborations)
		if i := n.collab(a.id); i >= 0 {
			n.Collaborations[i] = s.Collaborations[i].clone()
		}
		err = e.lifecycle(&n, mk, a, at)
	}
	if err != nil {
		return s, err
	}
	n.Updated = at
	return n, nil
}

func (e *Evaluator) saveGroup(s *Seller, a Action) error {
	l := fielderr.For(pkg)
	a.group.check(l, "group")
	if err := l.Err(); err != nil {
		return err
	}
	if i := slices.IndexFunc(s.Groups, func(g Group) bool { return g.ID == a.group.ID }); i >= 0 {
		s.Groups[i] = a.group.clone()
		return nil
	}
	if len(s.Groups) >= e.policy.MaxGroups {
		return refuse("save_group", a.group.ID, time.Time{}, affrules.Reason{Rule: RuleGroups, Key: keyTooManyGroups, Observed: affrules.Count(int64(len(s.Groups))), Limit: affrules.Count(int64(e.policy.MaxGroups)), Subject: s.ID})
	}
	s.Groups = append(s.Groups, a.group.clone())
	return nil
}

func block(s *Seller, a Action, at time.Time) error {
	if err := bounds.ID(pkg, "creator", a.id); err != nil {
		return err
	}
	blocked := a.kind == actBlock
	if s.Blocklist.BlockedAt(a.id, at) == blocked {
		return nil // already so: nothing changes
	}
	s.Blocklist = append(s.Blocklist, Block{Creator: a.id, Blocked: blocked, At: at})
	return nil
}

func (e *Evaluator) draft(s *Seller, a Action) error {
	c := a.collab
	l := fielderr.For(pkg)
	switch {
	case !bounds.IDOK(c.ID):
		l.Append(bounds.ID(pkg, "collaboration.id", c.ID))
	case s.collab(c.ID) >= 0:
		l.Add("collaboration.id", c.ID, "is taken by another collaboration of the seller")
	}
	if c.Market != "" && c.Market != s.Market {
		l.Add("collaboration.market", c.Market, "is not the seller's market %s", s.Market)
	}
	if c.Final != nil || c.Group != nil || len(c.Events) > 0 || len(c.Members) > 0 || len(c.Ended) > 0 {
		l.Add("collaboration", c.ID, "final terms, group, events, members and ended products are set by the rules: leave them out")
	}
	if err := l.Err(); err != nil {
		return err
	}
	c = c.clone()
	c.Market = s.Market
	s.Collaborations = append(s.Collaborations, c)
	return nil
}

// lifecycle applies the actions on one collaboration (CP-7).
func (e *Evaluator) lifecycle(s *Seller, mk affrules.Market, a Action, at time.Time) error {
	i := s.collab(a.id)
	if i < 0 {
		return fielderr.New(pkg, "collaboration", strconv.Quote(a.id), "the seller has no such collaboration")
	}
	c := &s.Collaborations[i]
	state := c.StateAt(at)
	need := func(want ...State) error {
		if slices.Contains(want, state) {
			return nil
		}
		limit := ""
		for k, w := range want {
			if k > 0 {
				limit += " or "
			}
			limit += w.String()
		}
		subject := c.ID
		if a.kind == actJoin {
			subject = a.creator.ID // a join is about the creator, whatever stops it
		}
		return refuse(actionNames[a.kind], subject, time.Time{}, affrules.Reason{Rule: RuleLifecycle, Key: keyState, Observed: affrules.Text(state.String()), Limit: affrules.Text(limit), Subject: c.ID})
	}
	switch a.kind {
	case actEdit:
		if err := need(Draft); err != nil {
			return err
		}
		c.Preferences = a.terms.Clone()
	case actSubmit:
		if err := need(Draft); err != nil {
			return err
		}
		return e.submit(s, c, mk, a.facts, at)
	case actPay:
		if state == Expired {
			sub, _ := c.event(Submitted, at)
			return refuse("pay", c.ID, time.Time{}, affrules.Reason{Rule: RuleLifecycle, Key: keyPaymentLate, Observed: affrules.Instant(at), Limit: affrules.Instant(sub.Due), Subject: c.ID})
		}
		if err := need(PendingPayment); err != nil {
			return err
		}
		if start := c.Terms().Period.Start; !at.Before(start) { // CP-7: paid before it starts
			return refuse("pay", c.ID, time.Time{}, affrules.Reason{Rule: RuleLifecycle, Key: keyPayStarted, Observed: affrules.Instant(at), Limit: affrules.Instant(start), Subject: c.ID})
		}
		if !slices.Contains(e.policy.PaymentMethods, a.method) { // before ELG-11, a refusal of what is paid for
			return fielderr.New(pkg, "method", strconv.Quote(a.method), "must be one of %s (CP-7)", strings.Join(e.policy.PaymentMethods, ", "))
		}
		if last, all := allEnded(c, at); all { // ELG-11: no creator could join; the deposit would buy nothing
			return refuse("pay", c.ID, time.Time{}, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyAllEnded, Observed: affrules.Instant(last), Subject: c.ID})
		}
		c.Events = append(c.Events, Event{Kind: PaidEvent, At: at, Method: a.method})
	case actRecall:
		if state == Ongoing {
			return refuse("recall", c.ID, time.Time{}, affrules.Reason{Rule: RuleLifecycle, Key: keyOngoing, Observed: affrules.Text(state.String()), Subject: c.ID})
		}
		if err := need(Paid); err != nil {
			return err
		}
		c.Events = append(c.Events, Event{Kind: RecalledEvent, At: at})
	case actFinalize:
		if err := need(PendingPayment, Paid); err != nil {
			return err
		}
		if start := c.Terms().Period.Start; !at.Before(start) { // not after the start, even while pending payment
			return refuse("finalize", c.ID, time.Time{}, affrules.Reason{Rule: RuleLifecycle, Key: keyFinalStarted, Observed: affrules.Instant(at), Limit: affrules.Instant(start), Subject: c.ID})
		}
		return e.finalize(s, c, mk, a.terms, at)
	case actJoin:
		l := fielderr.For(pkg)
		a.creator.check(l)
		if err := l.Err(); err != nil {
			return err
		}
		if state == Paid { // creators join from the start instant
			start := c.Terms().Period.Start
			reasons := e.joinReasons(s, c, a.creator, at)
			next := start // time alone is the obstacle, unless the group or the blocklist refuses too (MKT-5)
			if len(reasons) > 0 {
				next = time.Time{}
			}
			reasons = append([]affrules.Reason{{Rule: RuleLifecycle, Key: keyState, Observed: affrules.Text(state.String()), Limit: affrules.Text(Ongoing.String()), Subject: c.ID}}, reasons...)
			return refuse("join", a.creator.ID, next, reasons...)
		}
		if err := need(Ongoing); err != nil {
			return err
		}
		return e.join(s, c, a.creator, at)
	}
	return nil
}

// join applies a Join action (CP-4, CP-13).
func (e *Evaluator) join(s *Seller, c *Collaboration, cr Creator, at time.Time) error {
	if c.Group == nil { // a record read back without it (a host's JSON that lost "group")
		return fielderr.New(pkg, "collaboration.group", "none", "is missing from collaboration %q: a submitted collaboration keeps the group its terms name, by which a join is judged (%s)", c.ID, RuleGroups)
	}
	if err := refuse("join", cr.ID, time.Time{}, e.joinReasons(s, c, cr, at)...); err != nil {
		return err
	}
	c.Members = append(c.Members, Member{Creator: cr.ID, Joined: at, Kind: cr.Kind})
	return nil
}

// joinReasons returns the reasons creator cr may not join c at instant at: already a member,
// outside the collaboration's group (CP-4), every product's participation ended (ELG-11),
// blocked (CP-13).
func (e *Evaluator) joinReasons(s *Seller, c *Collaboration, cr Creator, at time.Time) []affrules.Reason {
	var reasons []affrules.Reason
	if k := slices.IndexFunc(c.Members, func(m Member) bool { return m.Creator == cr.ID }); k >= 0 {
		reasons = append(reasons, affrules.Reason{Rule: RuleLifecycle, Key: keyMember, Observed: affrules.Instant(c.Members[k].Joined), Subject: cr.ID})
	}
	if c.Group != nil {
		reasons = append(reasons, c.Group.Match(cr).Failures()...)
	}
	if last, all := allEnded(c, at); all { // ELG-11: disqualifications ended them all
		reasons = append(reasons, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyAllEnded, Observed: affrules.Instant(last), Subject: c.ID})
	}
	if e.policy.BlockedAtJoinOnly { // CP-13 read at the join only: the block in force then
		if since, blocked := s.Blocklist.blockedAt(cr.ID, at); blocked {
			reasons = append(reasons, affrules.Reason{Rule: RuleBlocklist, Key: keyBlockedAtJoin, Observed: affrules.Instant(since), Limit: affrules.Instant(at), Subject: cr.ID})
		}
		return reasons
	}
	published, _ := c.Published(at)
	return append(reasons, s.Blocklist.Allows(cr.ID, published, at).Failures()...)
}

// endedAt returns the instant a permanent disqualification ended product's participation in a
// collaboration of s, at or before at, if one did (ELG-11); a temporary one's end does not count.
func (s *Seller) endedAt(product string, at time.Time) (time.Time, bool) {
	for _, c := range s.Collaborations {
		for _, x := range c.Ended {
			if x.Product == product && !x.Temporary && !x.At.After(at) {
				return x.At, true
			}
		}
	}
	return time.Time{}, false
}

// allEnded reports whether the participation of every product of c had ended by at (ELG-11),
// and when the last one ended.
func allEnded(c *Collaboration, at time.Time) (last time.Time, all bool) {
	ps := c.Terms().Products
	for _, p := range ps {
		k := slices.IndexFunc(c.Ended, func(x ProductEnd) bool { return x.Product == p.ID })
		if k < 0 || c.Ended[k].At.After(at) {
			return time.Time{}, false
		}
		if c.Ended[k].At.After(last) {
			last = c.Ended[k].At
		}
	}
	return last, len(ps) > 0
}

// finalize applies a Finalize action (CP-15) before the collaboration starts: the platform's
// final terms, for a period that starts after at and within the type's bounds (CP-2),
// with products among those submitted (their eligibility and CP-8 were checked then) at
// exclusive rates no lower than submitted.
func (e *Evaluator) finalize(s *Seller, c *Collaboration, mk affrules.Market, t Terms, at time.Time) error {
	l := fielderr.For(pkg)
	g := e.checkTerms(l, s, mk, "final", t)
	if l.Len() > 0 { // terms of the wrong shape: compare them with the submission once they are right
		return l.Err()
	}
	for i, p := range t.Products {
		k := slices.IndexFunc(c.Preferences.Products, func(x Product) bool { return x.ID == p.ID })
		switch {
		case k < 0:
			l.Add("final.products["+strconv.Itoa(i)+"].id", p.ID, "was not submitted: final terms keep to the products checked at submission (%s, %s)", RuleEligibleProducts, RuleExclusiveRates)
		case p.Rate.Cmp(c.Preferences.Products[k].Rate) < 0 || p.ShopAds.Cmp(c.Preferences.Products[k].ShopAds) < 0:
			l.Add("final.products["+strconv.Itoa(i)+"]", p.ID, "lowers an exclusive rate checked at submission (%s)", RuleExclusiveRates)
		case (!p.Rate.IsZero() && c.Preferences.Products[k].Rate.IsZero()) || (!p.ShopAds.IsZero() && c.Preferences.Products[k].ShopAds.IsZero()):
			l.Add("final.products["+strconv.Itoa(i)+"]", p.ID, "sets an exclusive rate the submission did not, so CP-8 never checked it against the Open rate (%s)", RuleExclusiveRates)
		}
	}
	if _, paid := c.Published(at); paid && !t.Deposit().Equal(c.Terms().Deposit()) {
		l.Add("final.objectives", t.Deposit().String(), "change the deposit paid, %s: the budgets may be divided otherwise but sum to what was paid (%s)", c.Terms().Deposit().String(), RuleFees)
	}
	if !at.Before(t.Period.Start) { // else the state at instants already past would change
		l.Add("final.period.start", t.Period.Start.Format(time.RFC3339Nano), "must be after the instant the final terms are set, %s (%s)", at.Format(time.RFC3339Nano), RuleLifecycle)
	}
	if err := l.Err(); err != nil {
		return err
	}
	if err := refuse("finalize", c.ID, time.Time{}, append(e.duration(mk, c.ID, t), e.policyTerms(c.ID, t)...)...); err != nil {
		return err
	}
	f := t.Clone()
	c.Final, c.Group = &f, &g
	return nil
}

var (
	keyNotPermanent = affrules.DefineMessage("collabplus.elg11.not_permanent", affrules.Message{
		Text: "only a permanent disqualification ends a participation", Observed: "{observed}", Limit: "{limit}",
	})
	// ELG-11 under Policy.TemporaryEndsParticipation: the result is eligible; observed its state.
	keyNotDisqualified = affrules.DefineMessage("collabplus.elg11.not_disqualified", affrules.Message{
		Text: "the result is not a disqualification: nothing ends the participation", Observed: "{observed}",
	})
	keyKept = affrules.DefineMessage("collabplus.elg11.kept", affrules.Message{
		Text: "the policy keeps disqualified products in their collaborations",
	})
	keyNothingToEnd = affrules.DefineMessage("collabplus.elg11.nothing_to_end", affrules.Message{
		Text: "the product takes part in no running or scheduled collaboration",
	})
	// ELG-6, ELG-11: observed the instant the product's participation ended; subject the product.
	keyEndedBefore = affrules.DefineMessage("collabplus.elg11.ended_before", affrules.Message{
		Text: "product {subject} was permanently disqualified: its participation ended", Observed: "ended {observed}",
	})
	// ELG-6, ELG-11: observed the instant the shop's permanent disqualification was recorded;
	// subject the seller.
	keyShopDisqualified = affrules.DefineMessage("collabplus.elg11.shop_disqualified", affrules.Message{
		Text: "the seller's shop was permanently disqualified: it submits nothing more", Observed: "recorded {observed}",
	})
	// ELG-11: observed the instant the last product's participation ended; subject the
	// collaboration.
	keyAllEnded = affrules.DefineMessage("collabplus.elg11.all_ended", affrules.Message{
		Text: "every product's participation has ended: nothing left to join", Observed: "last ended {observed}",
	})
)

// disqualify applies a Disqualify action (ELG-11).
func (e *Evaluator) disqualify(s *Seller, a Action, at time.Time) error {
	r := a.elig
	l := fielderr.For(pkg)
	switch {
	case r.State == eligibility.Unevaluated || r.State > eligibility.PermanentlyDisqualified:
		l.Add("eligibility.state", r.State, "must be an evaluated eligibility (%s)", RuleLaterDisqualification)
	case r.ShopID != s.ID:
		l.Add("eligibility.shop_id", strconv.Quote(r.ShopID), "is not the seller %q (%s)", s.ID, RuleLaterDisqualification)
	case r.Market != s.Market:
		l.Add("eligibility.market", strconv.Quote(string(r.Market)), "is not the seller's market %s (%s)", s.Market, RuleLaterDisqualification)
	case r.ID == "":
		l.Add("eligibility.id", "", "must not be empty")
	case e.policy.TemporaryEndsParticipation && r.State == eligibility.TemporarilyDisqualified && r.Lifted(at): // a temporary one must still hold
		l.Add("eligibility.decision.next_allowed", r.Decision.NextAllowed.Format(time.RFC3339Nano), "is not after the disqualification at %s: it had lifted, so the result is from an earlier instant (%s)", at.Format(time.RFC3339Nano), RuleLaterDisqualification)
	}
	if err := l.Err(); err != nil {
		return err
	}
	temporary := !r.Permanent()
	switch {
	case r.State == eligibility.Eligible && e.policy.TemporaryEndsParticipation:
		return refuse("disqualify", r.ID, time.Time{}, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyNotDisqualified, Observed: affrules.Text(r.State.String()), Subject: r.ID})
	case temporary && !e.policy.TemporaryEndsParticipation:
		return refuse("disqualify", r.ID, time.Time{}, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyNotPermanent, Observed: affrules.Text(r.State.String()), Limit: affrules.Text(eligibility.PermanentlyDisqualified.String()), Subject: r.ID})
	case !e.policy.PermanentEndsParticipation:
		return refuse("disqualify", r.ID, time.Time{}, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyKept, Subject: r.ID})
	}
	shop := r.Scope == eligibility.ShopScope
	ended := 0
	for i := range s.Collaborations {
		c := &s.Collaborations[i]
		switch c.StateAt(at) {
		case Draft, Expired, Ended, Recalled:
			continue
		}
		for _, p := range c.Terms().Products {
			if (shop || p.ID == r.ID) && !slices.ContainsFunc(c.Ended, func(x ProductEnd) bool { return x.Product == p.ID }) {
				c.Ended = append(c.Ended, ProductEnd{Product: p.ID, At: at, Temporary: temporary})
				ended++
			}
		}
	}
	if !temporary { // a permanent disqualification makes a temporary one's ends permanent
		for i := range s.Collaborations {
			for k := range s.Collaborations[i].Ended {
				if x := &s.Collaborations[i].Ended[k]; x.Temporary && (shop || x.Product == r.ID) {
					x.Temporary = false
					ended++
				}
			}
		}
	}
	if shop && !temporary && s.Disqualified.IsZero() { // ELG-6: the shop is out for good, running or not
		s.Disqualified = at
		ended++
	}
	if ended == 0 {
		return refuse("disqualify", r.ID, time.Time{}, affrules.Reason{Rule: RuleLaterDisqualification, Key: keyNothingToEnd, Subject: r.ID})
	}
	return nil
}
