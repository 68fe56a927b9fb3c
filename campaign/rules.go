package campaign

import "github.com/affrules/affrules"

// Rule IDs of SPEC §7, each with the function that decides it. Refused actions name their rules
// in the reasons of an [affrules.Refusal]; rules about the shape of a campaign are checked by
// [Evaluator.Create] and name their rule in the error.
const (
	// RuleListings is CMP-1, Open Collaboration listings and Target Collaboration offers, both
	// possible at once for one product, and creators' requests to promote an Open product:
	// [Evaluator.List], [Evaluator.Target] and [Evaluator.Request].
	RuleListings affrules.RuleID = "CMP-1"
	// RuleInitiators is CMP-2, agency- and seller-initiated campaigns with their audience:
	// [Campaign] and [Evaluator.Visible].
	RuleInitiators affrules.RuleID = "CMP-2"
	// RuleTerms is CMP-3, a campaign's name, description, periods, commission requirement and
	// contact, registration starting no later than the campaign and ending no later than its
	// end: [Evaluator.Create].
	RuleTerms affrules.RuleID = "CMP-3"
	// RuleRegistration is CMP-4, registering a product inside the registration period, eligible
	// (ELG-9), at a rate meeting the requirement ([Policy.RequirementOf]), with a sample quantity
	// and contact, once: [Register] through [Evaluator.Apply].
	RuleRegistration affrules.RuleID = "CMP-4"
	// RuleReview is CMP-5, the partner's review pending → approved / rejected, the partner
	// matching creators to approved products, the sellers' joined list and what sellers see:
	// [Review], [MatchCreators], [JoinedBy] and [Evaluator.Visible].
	RuleReview affrules.RuleID = "CMP-5"
	// RuleSellerCampaigns is CMP-6, a seller-initiated campaign published to its audience of
	// partners, who join only after publication: [Publish] and [Join].
	RuleSellerCampaigns affrules.RuleID = "CMP-6"
	// RuleOpenChange is CMP-7, changing an Open rate (COM-10, COM-11) or removing the product
	// from Open Collaboration: [Evaluator.ChangeRate] and [Evaluator.Remove].
	RuleOpenChange affrules.RuleID = "CMP-7"
	// RuleEligibleProducts is eligibility's ELG-9, only affiliate-eligible products in a
	// partner campaign, as it is checked at registration ([Register]).
	RuleEligibleProducts affrules.RuleID = "ELG-9"
	// RuleLaterDisqualification is eligibility's ELG-11, a disqualification after registration:
	// a permanent one ends the product's participation ([Disqualify]), a temporary one blocks
	// only new registrations (unless [Policy.TemporaryEndsParticipation] has it end it too).
	RuleLaterDisqualification affrules.RuleID = "ELG-11"
)

// Message keys of every reason the package gives, with their English wording. A host translating
// reasons keys its templates by these strings ([affrules.Catalog]). The subject of a reason is
// the product for a registration's rules, else the campaign, partner or creator the action names.
var (
	// CMP-4: observed the instant of the registration, limit the registration period's start.
	keyNotOpenYet = affrules.DefineMessage("campaign.cmp4.not_open_yet", affrules.Message{
		Text: "registration has not opened", Observed: "at {observed}", Limit: "opens {limit}",
	})
	// CMP-4: observed the instant, limit the registration period's end.
	keyClosed = affrules.DefineMessage("campaign.cmp4.closed", affrules.Message{
		Text: "registration has closed", Observed: "at {observed}", Limit: "closed {limit}",
	})
	// CMP-6: observed the instant, limit the registration period's start: partners join from
	// then.
	keyJoinNotOpenYet = affrules.DefineMessage("campaign.cmp6.not_open_yet", affrules.Message{
		Text: "joining has not opened", Observed: "at {observed}", Limit: "opens {limit}",
	})
	// CMP-6: observed the instant, limit the registration period's end.
	keyJoinClosed = affrules.DefineMessage("campaign.cmp6.closed", affrules.Message{
		Text: "joining has closed", Observed: "at {observed}", Limit: "closed {limit}",
	})
	// CMP-6: the partner is not in the seller campaign's audience.
	keyJoinNotInAudience = affrules.DefineMessage("campaign.cmp6.not_in_audience", affrules.Message{
		Text: "partner not in the campaign's audience", Observed: "{subject}",
	})
	// CMP-4: observed the seller acting, limit the seller who registered the product.
	keyNotSeller = affrules.DefineMessage("campaign.cmp4.not_seller", affrules.Message{
		Text: "only the seller who registered the product may do this", Observed: "{observed}", Limit: "seller {limit}",
	})
	// CMP-4: observed the total rate, limit the campaign's requirement.
	keyBelowRequirement = affrules.DefineMessage("campaign.cmp4.below_requirement", affrules.Message{
		Text: "total rate below the campaign's commission requirement", Observed: "{observed}", Limit: "at least {limit}",
	})
	// CMP-4 under [Policy.RequirementOf] "creator": observed the creator's part of the rate,
	// limit the campaign's requirement.
	keyCreatorBelowRequirement = affrules.DefineMessage("campaign.cmp4.creator_below_requirement", affrules.Message{
		Text: "creator's part of the rate below the campaign's commission requirement", Observed: "{observed}", Limit: "at least {limit}",
	})
	// CMP-4 under [Policy.RequirementOf] "partner": observed the partner's part of the rate,
	// limit the campaign's requirement.
	keyPartnerBelowRequirement = affrules.DefineMessage("campaign.cmp4.partner_below_requirement", affrules.Message{
		Text: "partner's part of the rate below the campaign's commission requirement", Observed: "{observed}", Limit: "at least {limit}",
	})
	// CMP-4: the product is registered already; observed its status.
	keyRegistered = affrules.DefineMessage("campaign.cmp4.registered", affrules.Message{
		Text: "product already registered in this campaign", Observed: "{observed}",
	})
	// ELG-9: observed the product's eligibility state, limit "eligible".
	keyIneligible = affrules.DefineMessage("campaign.elg9.ineligible", affrules.Message{
		Text: "product not eligible for partner campaigns", Observed: "{observed}", Limit: "{limit}",
	})
	// ELG-11: observed the product's eligibility state; only a permanent disqualification ends
	// a participation.
	keyNotPermanent = affrules.DefineMessage("campaign.elg11.not_permanent", affrules.Message{
		Text: "only a permanent disqualification ends a participation", Observed: "{observed}", Limit: "{limit}",
	})
	// ELG-11 under Policy.TemporaryEndsParticipation: the result is eligible; observed its state.
	keyNotDisqualified = affrules.DefineMessage("campaign.elg11.not_disqualified", affrules.Message{
		Text: "the result is not a disqualification: nothing ends the participation", Observed: "{observed}",
	})
	// ELG-11: the product's participation ended already; observed when.
	keyEnded = affrules.DefineMessage("campaign.elg11.ended", affrules.Message{
		Text: "participation ended already", Observed: "ended {observed}",
	})
	// ELG-11: the policy keeps permanently disqualified products in the campaign.
	keyKept = affrules.DefineMessage("campaign.elg11.kept", affrules.Message{
		Text: "the policy keeps disqualified products in the campaign",
	})
	// CMP-2: the seller registering is not in the agency campaign's audience; subject the seller.
	keyNotInAudience = affrules.DefineMessage("campaign.cmp2.not_in_audience", affrules.Message{
		Text: "not in the campaign's audience", Observed: "{subject}",
	})
	// CMP-2: observed the actor, limit the campaign's owner: only the owner may act.
	keyNotOwner = affrules.DefineMessage("campaign.cmp2.not_owner", affrules.Message{
		Text: "only the campaign's owner may do this", Observed: "{observed}", Limit: "owner {limit}",
	})
	// CMP-2: observed the campaign's initiator; the action is for the other kind of campaign.
	keyWrongInitiator = affrules.DefineMessage("campaign.cmp2.wrong_initiator", affrules.Message{
		Text: "not possible in this kind of campaign", Observed: "{observed} campaign", Limit: "{limit} campaigns only",
	})
	// CMP-5: observed the registration's status, limit the status the action needs.
	keyWrongStatus = affrules.DefineMessage("campaign.cmp5.wrong_status", affrules.Message{
		Text: "product is not in the status this needs", Observed: "{observed}", Limit: "{limit}",
	})
	// CMP-5: the product is not registered in the campaign.
	keyNotRegistered = affrules.DefineMessage("campaign.cmp5.not_registered", affrules.Message{
		Text: "product not registered in this campaign", Observed: "{subject}",
	})
	// ELG-11: observed the instant, limit the campaign's end; subject the product.
	keyOverAlready = affrules.DefineMessage("campaign.elg11.campaign_over", affrules.Message{
		Text: "the campaign has ended, and every participation with it: nothing to end", Observed: "at {observed}", Limit: "ended {limit}",
	})
	// CMP-5: observed the instant, limit the campaign period's end.
	keyCampaignOver = affrules.DefineMessage("campaign.cmp5.campaign_over", affrules.Message{
		Text: "the campaign has ended", Observed: "at {observed}", Limit: "ended {limit}",
	})
	// CMP-5: the creator is matched to the product by this partner already.
	keyMatched = affrules.DefineMessage("campaign.cmp5.matched", affrules.Message{
		Text: "creator already matched to this product", Observed: "{subject}",
	})
	keyMatchedByOther = affrules.DefineMessage("campaign.cmp6.matched_by_other", affrules.Message{
		Text: "creator already matched to this product by another partner", Observed: "matched by {observed}",
	})
	// CMP-6: the campaign is not published; observed the instant.
	keyNotPublished = affrules.DefineMessage("campaign.cmp6.not_published", affrules.Message{
		Text: "the campaign is not published", Observed: "at {observed}",
	})
	// CMP-6: the campaign is published already; observed when.
	keyPublished = affrules.DefineMessage("campaign.cmp6.published", affrules.Message{
		Text: "the campaign is published already", Observed: "published {observed}",
	})
	// CMP-6: publishing a campaign without products; observed the count.
	keyNoProducts = affrules.DefineMessage("campaign.cmp6.no_products", affrules.Message{
		Text: "no products registered", Observed: "{observed} products", Limit: "at least {limit}",
	})
	// CMP-6: the partner has joined already; observed when.
	keyJoined = affrules.DefineMessage("campaign.cmp6.joined", affrules.Message{
		Text: "partner has joined already", Observed: "joined {observed}",
	})
	// CMP-6, CMP-5: the partner has not joined the seller's campaign.
	keyNotJoined = affrules.DefineMessage("campaign.cmp6.not_joined", affrules.Message{
		Text: "partner has not joined the campaign", Observed: "{subject}",
	})
	// CMP-1, CMP-7: observed the instant, limit the listing's start, or its end or removal
	// instant.
	keyNotListed = affrules.DefineMessage("campaign.cmp1.not_listed", affrules.Message{
		Text: "the collaboration is not running", Observed: "at {observed}", Limit: "{limit}",
	})
)
