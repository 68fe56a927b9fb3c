package eligibility

import "github.com/affrules/affrules"

// Rule IDs of SPEC §2, each with the function that decides it.
const (
	// RuleCounterfeit is ELG-1, no counterfeit violation within the window: [Evaluator.Shop].
	RuleCounterfeit affrules.RuleID = "ELG-1"
	// RuleStoreRating is ELG-2, a store rating of at least the minimum: [Evaluator.Shop].
	RuleStoreRating affrules.RuleID = "ELG-2"
	// RuleNegativeReview is ELG-3, the negative-review rate strictly below the category limit:
	// [Evaluator.Product].
	RuleNegativeReview affrules.RuleID = "ELG-3"
	// RuleSellerRefund is ELG-4, the seller-fault return/refund rate strictly below the category
	// limit: [Evaluator.Product].
	RuleSellerRefund affrules.RuleID = "ELG-4"
	// RuleThresholdsRequired is ELG-5, a category without thresholds or a rate without orders is
	// an error, never a pass: [Evaluator.Product] returns the error.
	RuleThresholdsRequired affrules.RuleID = "ELG-5"
	// RulePermanent is ELG-6, the eligible, temporarily and permanently disqualified states and
	// whether the shop or only the product is disqualified: [Evaluator.Shop] and
	// [Evaluator.Product] ([Result.Scope]), over a daily [Run] ([Evaluator.NewRun]).
	RulePermanent affrules.RuleID = "ELG-6"
	// RuleListing is ELG-7, Affiliate Marketplace listing of creators by the viewer's roles and
	// purpose: [Listing.Listed], [Listing.ViewOf] and [Listing.OffersAgencyFilter].
	RuleListing affrules.RuleID = "ELG-7"
	// RuleDataAccess is ELG-8, performance data and contact details shown only if the creator
	// allows it: [Listing.ViewOf] and [DataFilter].
	RuleDataAccess affrules.RuleID = "ELG-8"
	// RuleCampaigns is ELG-9, only eligible products join Collaboration Plus or partner
	// campaigns, with no minimum stock: [Result.ForCampaign].
	RuleCampaigns affrules.RuleID = "ELG-9"
	// RuleThresholdsByMarket is ELG-10, thresholds keyed by market, category and effective date:
	// [Policy] (with [Policy.WithOverride]), compiled by [New].
	RuleThresholdsByMarket affrules.RuleID = "ELG-10"
	// RuleMarketplaceAccess is SPEC §3's INV-12 as the listing applies it: only accounts holding
	// the MCN/CAP role use the Marketplace, so nothing is listed to another ([Listing.Uses],
	// [Listing.Listed]). Package invitation refuses such an account's invitations as bad input.
	RuleMarketplaceAccess affrules.RuleID = "INV-12"
	// RulePurposeRole is SPEC §3's INV-7 as the listing applies it: an account lists creators
	// for a known purpose, and only if it holds that purpose's role ([Listing.Listed]). Package
	// invitation refuses such an invitation as bad input.
	RulePurposeRole affrules.RuleID = "INV-7"
)

// ELG-11 (a later disqualification of a product in a running Collaboration Plus or partner
// campaign) belongs to those packages; they need of a [Result] its subject ([Result.Scope] with
// [Result.ShopID] or [Result.ID]), its permanence ([Result.Permanent]) and whether it had lifted
// by an instant ([Result.Lifted]).

// Message keys of every reason the package gives, with their English wording. A host translating
// reasons keys its templates by these strings (affrules.Catalog).
var (
	keyCounterfeitFailed = affrules.DefineMessage("eligibility.elg1.failed", affrules.Message{
		Text:     "shop had a counterfeit violation within the window",
		Observed: "counterfeit violation at {observed}", // instant of the last violation
		Limit:    "none within {limit} days",            // days of the window
	})
	keyStoreRatingFailed = affrules.DefineMessage("eligibility.elg2.failed", affrules.Message{
		Text:  "store rating is below the minimum",
		Limit: "at least {limit}", // observed and limit: decimals
	})
	keyNegativeFailed = affrules.DefineMessage("eligibility.elg3.failed", affrules.Message{
		Text:  "negative-review rate is not below the category limit",
		Limit: "below {limit} for {subject}", // observed: ratio; limit: rate; subject: category
	})
	keyNegativeNotApplicable = affrules.DefineMessage("eligibility.elg3.not_applicable", affrules.Message{
		Text:     "too few reviews for the negative-review rule",
		Observed: "{observed} reviews",           // count of reviews
		Limit:    "applies from {limit} reviews", // count: the minimum
	})
	keyRefundFailed = affrules.DefineMessage("eligibility.elg4.failed", affrules.Message{
		Text:  "seller-fault return/refund rate is not below the category limit",
		Limit: "below {limit} for {subject}", // observed: ratio; limit: rate; subject: category
	})
	keyRefundNotApplicable = affrules.DefineMessage("eligibility.elg4.not_applicable", affrules.Message{
		Text:     "too few return/refund cases for the seller-fault refund rule",
		Observed: "{observed} return/refund cases", // count of return/refund cases
		Limit:    "applies from {limit} cases",     // count: the minimum
	})
	// Under Thresholds.MinRefundCasesSellerFault the minimum counts the seller-fault cases.
	keyRefundNotApplicableSellerFault = affrules.DefineMessage("eligibility.elg4.not_applicable_seller_fault", affrules.Message{
		Text:     "too few seller-fault return/refund cases for the seller-fault refund rule",
		Observed: "{observed} seller-fault cases",           // count of seller-fault return/refund cases
		Limit:    "applies from {limit} seller-fault cases", // count: the minimum
	})
	keyDeactivated  = permanentKey("eligibility.elg6.deactivated", "seller account deactivated")
	keyEarlier      = permanentKey("eligibility.elg6.earlier", "permanently disqualified by an earlier evaluation")
	keyFrozen       = permanentKey("eligibility.elg6.frozen", "product frozen for a policy violation")
	keyDelisted     = permanentKey("eligibility.elg6.delisted", "product delisted for a policy violation")
	keyProductBan   = permanentKey("eligibility.elg6.product_banned", "a product of the shop frozen or delisted for a policy violation")
	keyNoPermission = affrules.DefineMessage("eligibility.elg7.no_ecommerce_permission", affrules.Message{
		Text:     "creator lacks e-commerce permission",
		Observed: "no e-commerce permission",
		Limit:    "e-commerce permission",
	})
	keyOtherMCN = affrules.DefineMessage("eligibility.elg7.linked_to_other_mcn", affrules.Message{
		Text:     "creator is linked to another MCN",
		Observed: "linked to MCN {observed}", // text: the MCN's ID
		Limit:    "not linked to another MCN",
	})
	keyOfficial = affrules.DefineMessage("eligibility.elg7.official_account", affrules.Message{
		Text:     "official accounts are not listed",
		Observed: "official account",
		Limit:    "not an official account",
	})
	keyMarketing = affrules.DefineMessage("eligibility.elg7.marketing_account", affrules.Message{
		Text:     "marketing accounts are not listed",
		Observed: "marketing account",
		Limit:    "not a marketing account",
	})
	keyNoAccess = affrules.DefineMessage("eligibility.inv12.no_marketplace_access", affrules.Message{
		Text:     "only MCN/CAP accounts use the Affiliate Marketplace",
		Observed: "account {subject} holds {observed}", // text: "no role" or "the affiliate-partner role only"
		Limit:    "the MCN/CAP role",
	})
	keyPurposeRole = affrules.DefineMessage("eligibility.inv7.purpose_not_held", affrules.Message{
		Text:     "the account does not hold the role of the purpose",
		Observed: "{observed} by account {subject}", // text: the purpose
		Limit:    "{limit}",                         // text: the role the purpose needs
	})
	keyUnknownPurpose = affrules.DefineMessage("eligibility.inv7.unknown_purpose", affrules.Message{
		Text:     "nothing is listed for an unknown purpose",
		Observed: "purpose {observed}", // text: the purpose as given
		Limit:    "creator_partnership or product_distribution",
	})
	keyCampaignFailed = affrules.DefineMessage("eligibility.elg9.failed", affrules.Message{
		Text: "only affiliate-eligible products may join a campaign", // observed and limit: state names
	})
)

// permanentKey defines an ELG-6 key whose observed text is why the disqualification is permanent.
func permanentKey(key affrules.MessageKey, why string) affrules.MessageKey {
	return affrules.DefineMessage(key, affrules.Message{
		Text:     "permanently disqualified: later good metrics never lift it",
		Observed: why,
		Limit:    "no permanent disqualification",
	})
}
