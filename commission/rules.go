package commission

import "github.com/affrules/affrules"

// Rule IDs of SPEC §4, each with the function that decides it. Rules about configured data
// (COM-9, COM-11, COM-12's inputs) are checked by [OfferRule.Check] and name their rule in the
// error; the others are the outcome and the reasons of a [Resolution], a [Commission] or a
// [Record].
const (
	// RuleAmount is COM-1, commission = rate × base, rounded once (MKT-4); the base is the price
	// less platform and seller coupons and tax, shipping excluded (each as the policy says):
	// [Evaluator.Compute].
	RuleAmount affrules.RuleID = "COM-1"
	// RuleSources is COM-2, the rate sources ([Source]): [Offer].
	RuleSources affrules.RuleID = "COM-2"
	// RuleAtOrderTime is COM-3, the rate decided at the order's instant against each source's
	// history; a Collaboration Plus covers a member from join to end; a change to a stored offer
	// changes nothing in force before it: [Evaluator.Resolve] (its failed reason when no source
	// applies) and [OfferRule.Check].
	RuleAtOrderTime affrules.RuleID = "COM-3"
	// RuleNoExclusiveRate is COM-4, a Collaboration Plus without an exclusive rate falls back to
	// the Open rate, and no Open rate earns nothing: [Evaluator.Resolve].
	RuleNoExclusiveRate affrules.RuleID = "COM-4"
	// RulePrecedence is COM-5, the ordered precedence of sources and the shop-ads rate:
	// [Evaluator.Resolve] with [Policy.Precedence] and [Policy.ShopAdsPrecedence].
	RulePrecedence affrules.RuleID = "COM-5"
	// RuleShopAdsVideo is COM-6, shop-ads commission only for a video the creator authorised
	// for ads: [Evaluator.Resolve].
	RuleShopAdsVideo affrules.RuleID = "COM-6"
	// RuleSplit is COM-7, a partner campaign's total split into parts that sum to it exactly:
	// [Evaluator.Compute].
	RuleSplit affrules.RuleID = "COM-7"
	// RuleSettlement is COM-8, pending → settled after the settlement period, or ineligible on
	// cancellation or full refund; refunds reduce the commission in proportion:
	// [Settlement.Apply].
	RuleSettlement affrules.RuleID = "COM-8"
	// RuleBounds is COM-9, every configured rate within [Policy.MinRate]–[Policy.MaxRate]:
	// [OfferRule.Check].
	RuleBounds affrules.RuleID = "COM-9"
	// RuleDecrease is COM-10, a decrease reaches creators already promoting only after the
	// delay; a creator back from a Collaboration Plus is a new promoter: [Evaluator.Resolve].
	RuleDecrease affrules.RuleID = "COM-10"
	// RuleTiers is COM-11, two tiers split by an order count, the threshold immutable once
	// active and tier rates only rising: [OfferRule.Check] and [Evaluator.Resolve].
	RuleTiers affrules.RuleID = "COM-11"
	// RulePartnerScope is COM-12, a partner-campaign rate only for an approved registration, a
	// matched creator and an order in the campaign period: [Evaluator.Resolve].
	RulePartnerScope affrules.RuleID = "COM-12"
	// RuleAttributed is COM-13, commission only on attributed orders: [Evaluator.Resolve].
	RuleAttributed affrules.RuleID = "COM-13"
	// RuleSuggested is COM-14, suggested rates per category and market are advisory:
	// [Evaluator.Advise] and [Evaluator.Resolve].
	RuleSuggested affrules.RuleID = "COM-14"
)

// Message keys of every reason the package gives, with their English wording. A host translating
// reasons keys its templates by these strings ([affrules.Catalog]). Unless a key says otherwise,
// the subject of a candidate's reason is the offer's ID.
var (
	// COM-5: observed the candidate's source, limit the winning source (texts).
	keyOverridden = affrules.DefineMessage("commission.com5.overridden", affrules.Message{
		Text: "overridden by {limit}", Observed: "{observed} offer {subject}", Limit: "{limit} ranks higher",
	})
	// COM-5: observed the candidate's rate, limit the winning offer's rate (rates): another offer
	// of the same source won, with a higher rate or, at the same rate, as a listing in force
	// beside a removed one (Policy.RemovalDelayed) or with a lower offer ID.
	keyOutbid = affrules.DefineMessage("commission.com5.outbid", affrules.Message{
		Text: "overridden by another offer of the same source", Observed: "{observed} offered", Limit: "{limit} paid (a higher rate, or the same rate and a listing in force over a removed one, or a lower offer ID)",
	})
	// COM-5: observed the candidate's source; the source is not in the precedence list used.
	keyNotRanked = affrules.DefineMessage("commission.com5.not_ranked", affrules.Message{
		Text: "source not in the precedence list for this order", Observed: "{observed} offer {subject}",
	})
	// COM-5: the winner has no shop-ads rate; observed the standard rate used.
	keyNoShopAdsRate = affrules.DefineMessage("commission.com5.no_shop_ads_rate", affrules.Message{
		Text: "no shop-ads rate: standard rate used", Observed: "{observed} from offer {subject}",
	})
	// COM-5: a shop-ads order, the policy's fallback off, and the offer has no shop-ads rate in
	// force for the order: the offer does not apply to it.
	keyNoShopAdsNoFallback = affrules.DefineMessage("commission.com5.no_shop_ads_rate_no_fallback", affrules.Message{
		Text: "no shop-ads rate: does not apply to shop-ads orders",
	})
	// COM-3: observed the order's instant, limit the period's start.
	keyBeforeStart = affrules.DefineMessage("commission.com3.before_start", affrules.Message{
		Text: "outside its period", Observed: "order at {observed}", Limit: "starts {limit}",
	})
	// COM-3: observed the order's instant, limit the period's end instant.
	keyEnded = affrules.DefineMessage("commission.com3.ended", affrules.Message{
		Text: "outside its period", Observed: "order at {observed}", Limit: "ended {limit}",
	})
	// COM-3: observed the creator's ID.
	keyNotCovered = affrules.DefineMessage("commission.com3.not_covered", affrules.Message{
		Text: "creator not covered", Observed: "creator {observed}",
	})
	// COM-3: observed the order's instant, limit the creator's join instant.
	keyNotJoined = affrules.DefineMessage("commission.com3.not_joined", affrules.Message{
		Text: "creator not yet a member at the order's instant", Observed: "order at {observed}", Limit: "joined {limit}",
	})
	// COM-3: observed the order's instant, limit the first instant of the offer's rate history.
	keyNoRateYet = affrules.DefineMessage("commission.com3.no_rate_yet", affrules.Message{
		Text: "no rate in force at the order's instant", Observed: "order at {observed}", Limit: "first rate from {limit}",
	})
	// COM-4: a Collaboration Plus without an exclusive rate; the Open rate applies.
	keyNoExclusiveRate = affrules.DefineMessage("commission.com4.no_exclusive_rate", affrules.Message{
		Text: "no exclusive rate: the Open Collaboration rate applies",
	})
	// COM-4: a Collaboration Plus without an exclusive rate, and another source won.
	keyNoExclusiveSet = affrules.DefineMessage("commission.com4.no_exclusive_rate_set", affrules.Message{
		Text: "no exclusive rate set",
	})
	// COM-4 (failed): a Collaboration Plus set no exclusive rate and no Open rate applies;
	// observed the number of offers considered.
	keyNoRate = affrules.DefineMessage("commission.com4.no_rate", affrules.Message{
		Text: "no exclusive rate and no Open Collaboration rate: no commission", Observed: "offers considered: {observed}",
	})
	// COM-3 (failed): no offer applies to the order at its instant; observed the number of
	// offers considered.
	keyNoSource = affrules.DefineMessage("commission.com3.no_source", affrules.Message{
		Text: "no rate source applies to the order: no commission", Observed: "offers considered: {observed}",
	})
	// COM-3 (failed): the zero Resolution, which no order was resolved into; no values.
	keyNotResolved = affrules.DefineMessage("commission.com3.not_resolved", affrules.Message{
		Text: "not resolved: no order was decided, so no commission",
	})
	// COM-6: a shop-ads order whose video the creator did not authorise for ads.
	keyVideoNotAuthorised = affrules.DefineMessage("commission.com6.not_authorised", affrules.Message{
		Text: "video not authorised for ads: no shop-ads commission", Observed: "creator {observed}",
	})
	// COM-10: observed the rate in force now, limit the instant this creator gets it; the
	// subject is the offer's ID.
	keyDecreaseDelayed = affrules.DefineMessage("commission.com10.delayed", affrules.Message{
		Text: "rate decrease not yet applied to a creator already promoting", Observed: "rate in force {observed}", Limit: "applies from {limit}",
	})
	// CMP-7 under Policy.RemovalDelayed: observed the instant the listing was removed, limit
	// the instant from which it pays this creator nothing; the subject is the offer's ID.
	keyRemovalDelayed = affrules.DefineMessage("commission.com10.removal_delayed", affrules.Message{
		Text: "listing removed from Open Collaboration: a creator already promoting is paid until the decrease delay has passed", Observed: "removed {observed}", Limit: "paid until {limit}",
	})
	// COM-10: observed the source the creator came back from, limit its end instant, from which
	// the creator is a new promoter; the subject is that offer's ID.
	keyNewPromoter = affrules.DefineMessage("commission.com10.new_promoter", affrules.Message{
		Text: "back from {observed}: a new promoter, who gets the current rate", Observed: "{observed} offer {subject}", Limit: "from {limit}",
	})
	// COM-11: observed the creator's order count, limit the threshold of the upper tier.
	keyTierUpper = affrules.DefineMessage("commission.com11.upper_tier", affrules.Message{
		Text: "upper tier reached", Observed: "order {observed}", Limit: "upper tier from order {limit}",
	})
	// COM-12: the partner campaign registration is not approved.
	keyNotApproved = affrules.DefineMessage("commission.com12.not_approved", affrules.Message{
		Text: "partner campaign registration not approved: not applicable", Observed: "offer {subject}",
	})
	// COM-12: observed the creator's ID, not matched to the product by the partner.
	keyNotMatched = affrules.DefineMessage("commission.com12.not_matched", affrules.Message{
		Text: "creator not matched by the partner", Observed: "creator {observed}",
	})
	// COM-13 (failed): observed the order line's ID.
	keyNotAttributed = affrules.DefineMessage("commission.com13.not_attributed", affrules.Message{
		Text: "order not attributed to the creator's promotion: no commission", Observed: "order {observed}",
	})
	// COM-14 (advisory): observed the rate, limit the suggested rate; the subject is the category.
	keyBelowSuggested = affrules.DefineMessage("commission.com14.below_suggested", affrules.Message{
		Text: "rate below the suggested rate for {subject} (advisory)", Observed: "{observed}", Limit: "suggested {limit}",
	})
)
