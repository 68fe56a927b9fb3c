package level

import "github.com/affrules/affrules"

// The rules of SPEC §1 this package decides, each with the function that decides it.
const (
	// RuleLevels (LVL-1): nine levels, L0 … L8, as [Level].
	RuleLevels affrules.RuleID = "LVL-1"
	// RuleThresholds (LVL-2): the level for a month comes from the month before's GMV, active
	// days, breadth of the products selected (products or categories, [Table].Breadth) and,
	// where the table sets it, e-commerce capability, held to per-market thresholds:
	// [Evaluator.Assign] decides it; [Aggregator.Add] counts breadth; [Policy.Validate] checks
	// the thresholds.
	RuleThresholds affrules.RuleID = "LVL-2"
	// RuleRefresh (LVL-3): levels refresh at the start of each month and hold for the whole of
	// it: [Evaluator.Refresh] computes them, [LevelAt] reads the level at an instant.
	RuleRefresh affrules.RuleID = "LVL-3"
	// RuleActiveDay (LVL-4): a market-calendar day with at least one promotion is active:
	// [Aggregator.Add] counts it.
	RuleActiveDay affrules.RuleID = "LVL-4"
	// RuleVisibility (LVL-5): who may see a creator's level, affiliate partners only if the
	// policy allows: [Evaluator.Visible].
	RuleVisibility affrules.RuleID = "LVL-5"
	// RuleTrend (LVL-6): month-over-month change and the seller warning, on a drop both
	// significant and consistent (either, by policy): [Evaluator.Trend] and [Evaluator.TrendAt].
	RuleTrend affrules.RuleID = "LVL-6"
	// RuleBenefit (LVL-7): level-gated benefits: [Evaluator.Benefit].
	RuleBenefit affrules.RuleID = "LVL-7"
	// RuleScore (LVL-8): the creator score, in the markets the policy lists (MKT-1):
	// [Evaluator.Score].
	RuleScore affrules.RuleID = "LVL-8"
	// RuleCreatorType (LVL-9): LIVE or video creator: [Evaluator.TypeOf].
	RuleCreatorType affrules.RuleID = "LVL-9"
	// RuleBadge (LVL-10): the marketplace badges: [Evaluator.Badges].
	RuleBadge affrules.RuleID = "LVL-10"
	// RuleKind (LVL-11): link-share-only creator or affiliate creator, as [Kind]: sellers choose
	// by [Kind.Meets] and [ByKind]; [Kind.Promotes] says what each kind can promote (CP-18).
	RuleKind affrules.RuleID = "LVL-11"
	// RuleProfile (LVL-12): the Marketplace profile metrics ([Profile], [GPM]) and what a viewer
	// sees of them without data authorisation (ELG-8): [Evaluator.ProfileView].
	RuleProfile affrules.RuleID = "LVL-12"
)

// The message keys of the reasons this package returns, with their English wording; doc.go lists
// them for hosts. The wording is today's, word for word.

// LVL-5: one key per denial and per setting of [Policy].PartnersSeeLevel, which changes how the
// limit reads. Observed is the viewer's role as [affrules.Text].
const (
	msgAnotherCreator = "creator levels are shown only to the creator themself among users"
	msgBuyer          = "buyers and general users do not see creator levels"
	msgUnknownRole    = "unknown viewer role"
	limitSellers      = "the creator themself or a seller"
	limitPartners     = "the creator themself, a seller or an affiliate partner"
)

var (
	keyAnotherCreator = affrules.DefineMessage("level.lvl5.another_creator",
		affrules.Message{Text: msgAnotherCreator, Observed: "another creator", Limit: limitSellers})
	keyAnotherCreatorPartners = affrules.DefineMessage("level.lvl5.another_creator_partners_see_level",
		affrules.Message{Text: msgAnotherCreator, Observed: "another creator", Limit: limitPartners})
	keyBuyer = affrules.DefineMessage("level.lvl5.buyer",
		affrules.Message{Text: msgBuyer, Observed: "buyer", Limit: limitSellers})
	keyBuyerPartners = affrules.DefineMessage("level.lvl5.buyer_partners_see_level",
		affrules.Message{Text: msgBuyer, Observed: "buyer", Limit: limitPartners})
	keyUnknownRole = affrules.DefineMessage("level.lvl5.unknown_role",
		affrules.Message{Text: msgUnknownRole, Observed: `role "{observed}"`, Limit: limitSellers})
	keyUnknownRolePartners = affrules.DefineMessage("level.lvl5.unknown_role_partners_see_level",
		affrules.Message{Text: msgUnknownRole, Observed: `role "{observed}"`, Limit: limitPartners})
	keyPartner = affrules.DefineMessage("level.lvl5.partner",
		affrules.Message{Text: "the policy does not show creator levels to affiliate partners", Observed: "affiliate partner", Limit: limitSellers})
)

// LVL-6: counts of months and of levels as [affrules.Count]; a significant drop's Subject is the
// change, such as "L6 → L3".
var (
	keyTooLittleHistory = affrules.DefineMessage("level.lvl6.too_little_history", affrules.Message{
		Text: "too little level history to judge a trend", Observed: "{observed} month(s)", Limit: "{limit} consecutive months"})
	keySignificantDrop = affrules.DefineMessage("level.lvl6.significant_drop", affrules.Message{
		Text:     "significant level drop: the creator may be unreliable",
		Observed: "down by {observed} ({subject})", Limit: "a drop of fewer than {limit} levels"})
	keyConsistentDrop = affrules.DefineMessage("level.lvl6.consistent_drop", affrules.Message{
		Text:     "consistent level drop: the creator may be unreliable",
		Observed: "down {observed} months running", Limit: "fewer than {limit} consecutive monthly drops"})
)

// LVL-7: levels as [affrules.LevelOf]; Subject is the benefit's name.
var keyBelowMinLevel = affrules.DefineMessage("level.lvl7.below_min_level", affrules.Message{
	Text: "{subject} requires level {limit}", Limit: "{limit} or above"})

// LVL-10: rates as [affrules.RateOf], post counts as [affrules.Count], reply times as
// [affrules.DurationOf] (written in Go's duration syntax, "12h0m1s"). The posts limit's Subject is
// the window in days; the samples limit's Subject is how it was made, "60% + 10%" (market average
// plus margin). A samples limit above 100%, which no [affrules.Rate] holds, is a percentage as
// [affrules.Decimal] under its own key.
var (
	keyReplyRate = affrules.DefineMessage("level.lvl10.reply_rate_low", affrules.Message{
		Text: "quick to respond: reply rate too low", Limit: "at least {limit}"})
	keyReplyTime = affrules.DefineMessage("level.lvl10.reply_time_slow", affrules.Message{
		Text: "quick to respond: replies too slow", Limit: "at most {limit}"})
	keyFewPosts = affrules.DefineMessage("level.lvl10.too_few_posts", affrules.Message{
		Text: "posts frequently: too few videos and LIVEs", Observed: "{observed} posts", Limit: "at least {limit} posts in {subject} days"})
	keySamples = affrules.DefineMessage("level.lvl10.samples_below_average", affrules.Message{
		Text: msgSamples, Limit: "at least {limit} (market average {subject})"})
	keySamplesUnreachable = affrules.DefineMessage("level.lvl10.samples_unreachable", affrules.Message{
		Text: msgSamples, Limit: "at least {limit}% (market average {subject})"})
)

const msgSamples = "reliable with samples: fulfilment rate not well above the market average"

// LVL-12: a profile view without data authorisation (ELG-8); Subject names what is hidden.
var keyDataNotAuthorised = affrules.DefineMessage("level.lvl12.data_not_authorised", affrules.Message{
	Text: "the creator has not authorised data sharing: {subject} are hidden (ELG-8)"})
