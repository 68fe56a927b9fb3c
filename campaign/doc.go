// Package campaign evaluates the campaign rules of SPEC §7 (CMP-1..7): Open and Target
// Collaboration listings, affiliate partner campaigns with their registration, review and
// matching, and the commission offers they make.
//
// Open and Target Collaboration (CMP-1, CMP-7) are kept as [commission.Offer] values, the
// record with its rate history that the commission resolver reads: [Evaluator.List] lists a
// product in Open Collaboration, [Evaluator.Target] makes a Target Collaboration offer's
// offers, [Evaluator.ChangeRate] and [Evaluator.Remove] change or end them at an instant, and
// [Evaluator.Request] decides a creator's request to promote an Open product. Both may run at
// once for one product; commission's precedence decides between them (COM-5).
//
// An affiliate partner [Campaign] (CMP-2, CMP-3) is agency-initiated ([Agency]: a partner
// creates it for all or selected sellers, who register products that the partner reviews) or
// seller-initiated ([Seller]: a seller creates it with its own products for all or selected
// partners, publishes it, and partners join). [Evaluator.Create] checks a new campaign's terms;
// every later change is an [Action] applied at an instant with [Evaluator.Apply]: [Register]
// (CMP-4, ELG-9), [Review] (CMP-5), [MatchCreators] (CMP-5, COM-12), [Publish] and [Join]
// (CMP-6), [SetSamples] (SMP-2), [Disqualify] (ELG-11). [Evaluator.Visible] says who sees a campaign, [JoinedBy]
// lists a seller's joined campaigns with each product's status, and [Evaluator.Offers] yields
// the PARTNER offers a campaign makes at an instant, for [commission.Evaluator.Prepare].
//
// A business "no" to an action is a [*affrules.Refusal] error, wrapping [affrules.ErrRefused], whose
// [affrules.Decision] gives every failing rule with its ID, observed value and limit, and, when
// time alone will help (MKT-5), when: registration opening, or a temporary disqualification of
// the product lifting (its eligibility result's NextAllowed, ELG-9), whichever is later, while
// registration is still open then; nothing is changed. Bad input is a
// [*affrules.FieldError] naming the field and the value, several joined: an inverted or empty
// period, registration ending after the campaign, a rate outside 1%–80% (COM-9, commission's
// bounds), a negative sample quantity, an eligibility result of another product than the one
// registered ([Register]; a result of a shop or product the campaign does not hold is a
// refusal of [Disqualify]: nothing to end) or one whose temporary disqualification says it
// lifted by the registration (it is from an earlier instant), an instant
// before the campaign's last change.
//
// Storage is the host's: a [Store] keeps campaigns and applies actions to them in one atomic
// step with the [Evaluator] it is given on every call, so registration is atomic against the
// registration period and duplicates. [Memory] is the in-memory implementation; package
// campaigntest is the conformance suite any implementation must pass.
//
// Zero values: the zero [Evaluator] returns [ErrNoPolicy] from every method; the zero
// [Policy] is refused by [New]; the zero [Campaign], [Action] and [Registration] are refused as
// bad input; the zero [Status] is [Pending]; the zero [Memory] is an empty store ready for use.
//
// Interpretations (SPEC's "Interpretation" items and the choices this package makes where the
// catalog is silent). Each is the default: the policy setting that changes it is named beside it
// ([Policy] fields); a reading named without one is fixed in this version:
//
//   - CMP-1: a creator's request to promote an Open product needs no seller approval
//     ([Policy.OpenApproval], default false). A Target Collaboration offer's rate is in force
//     from its period's start. The creator named is taken as an approved creator (one with
//     e-commerce permission, ELG-7): their approval is the host's to check, as is pausing a
//     disqualified shop's or product's Open listings and Target offers (ELG-6: its access to
//     affiliate collaboration is paused, or ends), by removing them (CMP-7) or not listing them;
//     the package judges eligibility where SPEC places it, at a partner campaign's
//     registration (ELG-9, ELG-11).
//   - CMP-3: the commission requirement is a minimum of the product's total rate
//     ([Policy.RequirementOf]: of the creator's or the partner's part of it, by the partner
//     share); zero means none. Registration
//     starts no later than the campaign and ends no later than its end
//     ([Policy.RegistrationWithinCampaign], default true). Both periods are half-open instants
//     [start, end) with start before end; [Dates] builds one from calendar days in the
//     market's zone (MKT-2), the last day included. Partner campaigns run in
//     [Policy.Markets] (MKT-1, default the catalog's seven markets).
//   - CMP-4: rate, partner share and sample quantity are per product. The registration period is
//     half-open: its last instant is the one before its end, and a registration at the end itself
//     is refused. The product's eligibility is the host's [eligibility.Result], evaluated at the
//     instant of registration; it must name the product, its seller as shop, and the campaign's
//     market. Its State decides, as [eligibility.Result.ForCampaign] reads it (a result built by
//     hand may leave its decision out). Only an eligible product registers (ELG-9's reading for
//     partner campaigns; [Policy.EligibleProductsOnly], default true). A product is registered once
//     per campaign, whatever its status. A total rate exactly at the requirement passes, as does a
//     creator's or partner's part exactly at it under [Policy.RequirementOf]. A campaign's stored
//     registrations are checked against the total rate only, which any reading's part is no more
//     than, so changing the reading leaves registrations made under another one standing.
//   - CMP-5: only the partner who owns an agency campaign reviews its products, each once
//     (pending → approved or rejected, nothing after), and not after the campaign ends.
//     Matches are a host input (COM-12): the owner (or, in a seller campaign, a partner that
//     joined) matches creators to approved products before the campaign ends; a creator is
//     covered from the instant of the match: each batch of matches is an offer of its own that
//     starts then and never changes, so an order keeps the answer it had. An agency campaign is visible to its audience from creation; other
//     partners do not see it.
//   - CMP-6: a seller campaign's products are the seller's own, approved as registered (there
//     is no one else to review them), and registered before it is published, so partners join
//     on terms that do not change. Its registration period is when partners join; the seller
//     publishes it, with at least one product, before that period and the campaign end.
//     Partners of its audience see it from publication and join it once, inside the period and
//     before the campaign ends. Each partner that joined matches its own creators and
//     gets an offer of its own. Within a campaign, a creator is matched to a product by one
//     partner only: an order names no partner, so two partners' offers covering one creator
//     would leave the partner share to their IDs' order (COM-5); a second partner's match of a
//     creator already matched to the product is refused, naming the partner that matched first.
//     Two campaigns of one product, each matching the creator through another partner, are
//     the host's to avoid: the package judges one campaign at a time.
//   - CMP-7: removing a product from Open Collaboration ends its OPEN offer at the instant of
//     removal, once, so orders from then on earn no Open rate (commission.Policy.RemovalDelayed:
//     a creator promoting it since before is still paid until the removal is the decrease delay
//     old); a removal before the listing starts makes it never run. A rate change is
//     a new history entry from its instant, after the last one; COM-10's delay for decreases
//     is the resolver's. A removed product may be listed again ([Evaluator.List]) by a new
//     OPEN offer from the removal on, whose terms at its start pay no order less than the
//     removed offer still owes a creator already promoting it (its rates within commission's
//     decrease delay); commission keeps one OPEN offer per market and product at a time
//     (commission.OfferRule.Conflicts).
//   - ELG-11: eligibility is checked at registration; a later temporary disqualification
//     changes nothing in a running campaign (it blocks new registrations only; its result is
//     the host's to show beside the participation, and [Disqualify] refuses it;
//     [Policy.TemporaryEndsParticipation]: it ends the participation as a permanent one does,
//     a result whose disqualification has lifted by then being bad input). A permanent
//     one, recorded with [Disqualify], ends the participation of the product (of every
//     product of the shop, for a shop-scoped result) at that instant: its offers end then,
//     it is no longer reviewed or matched, and orders before keep their rate
//     ([Policy.PermanentEndsParticipation], default true; false keeps it in the campaign).
//     From the campaign's end every participation is over, so [Disqualify] has nothing to end
//     and refuses.
//   - Instants move forward: an action dated before the campaign's last change is bad input,
//     so what a campaign looked like at an instant is never rewritten. The sample quantity is
//     the one value without history: the seller may change it at any time (seed 004).
//
// # Reasons
//
// Each reason of a refusal ([Evaluator.Apply], [Evaluator.ChangeRate], [Evaluator.Remove]) or of
// the decision of [Evaluator.Request] carries a stable message key and typed values, by which a
// host renders it in its own language with an [affrules.Catalog]. Every one is a failed reason.
// A refused registration of an ineligible product also carries the product's own reasons, whose
// keys package eligibility lists:
//
//	campaign.cmp1.not_listed                 Instant of the action; Instant the listing starts, or its end or removal; subject: the offer
//	campaign.cmp2.not_in_audience            no values; subject: the seller, not in the audience
//	campaign.cmp2.not_owner                  Text: who acts; Text: the campaign's owner; subject: the campaign
//	campaign.cmp2.wrong_initiator            Text: the campaign's initiator; Text: the initiator the action needs; subject: the campaign
//	campaign.cmp4.not_open_yet               Instant of the registration; Instant registration opens; subject: the product
//	campaign.cmp4.closed                     Instant of the registration; Instant registration closed; subject: the product
//	campaign.cmp4.not_seller                 Text: the seller acting; Text: the seller who registered the product; subject: the product
//	campaign.cmp4.below_requirement          RateOf the total rate; RateOf the campaign's requirement; subject: the product
//	campaign.cmp4.creator_below_requirement  RateOf the creator's part of the rate, rounded down; RateOf the requirement; subject: the product
//	campaign.cmp4.partner_below_requirement  RateOf the partner's part of the rate, rounded down; RateOf the requirement; subject: the product
//	campaign.cmp4.registered                 Text: the registration's status; subject: the product
//	campaign.cmp5.not_registered             no values; subject: the product (or the shop of a shop-wide disqualification)
//	campaign.cmp5.wrong_status               Text: the registration's status; Text: the status the action needs; subject: the product
//	campaign.cmp5.campaign_over              Instant of the action; Instant the campaign ended; subject: the product (the campaign for a join or a publication)
//	campaign.cmp5.matched                    no values; subject: the creator, matched to the product already
//	campaign.cmp6.matched_by_other           Text: the partner that matched the creator first; subject: the creator
//	campaign.cmp6.not_open_yet               Instant of joining; Instant registration opens; subject: the campaign
//	campaign.cmp6.closed                     Instant of joining or publishing; Instant registration closed; subject: the campaign
//	campaign.cmp6.not_in_audience            no values; subject: the partner, not in the audience
//	campaign.cmp6.not_published              Instant of joining; subject: the campaign
//	campaign.cmp6.published                  Instant the campaign was published; subject: the campaign
//	campaign.cmp6.no_products                Count 0, the products; Count 1, the minimum; subject: the campaign
//	campaign.cmp6.joined                     Instant the partner joined; subject: the partner
//	campaign.cmp6.not_joined                 no values; subject: the partner, not joined
//	campaign.elg9.ineligible                 Text: the product's state; Text "eligible"; subject: the product
//	campaign.elg11.not_permanent             Text: the result's state; Text "permanently_disqualified"; subject: the result's ID
//	campaign.elg11.not_disqualified          Text "eligible" (Policy.TemporaryEndsParticipation); subject: the result's ID
//	campaign.elg11.ended                     Instant the product's participation ended; subject: the product, or the result's ID
//	campaign.elg11.kept                      no values: the policy keeps the product in; subject: the result's ID
//	campaign.elg11.campaign_over             Instant of the disqualification; Instant the campaign ended; subject: the result's ID
package campaign
