package sample

import "github.com/affrules/affrules"

// Rule IDs of SPEC §6, each with the function that decides it.
const (
	// RuleApproval is SMP-1, requests approved by the seller or automatically (a seller
	// setting): [Rule.Decide].
	RuleApproval affrules.RuleID = "SMP-1"
	// RuleQuantity is SMP-2, a partner campaign's requests auto-approved up to the sample
	// quantity in force: [Rule.Decide].
	RuleQuantity affrules.RuleID = "SMP-2"
	// RuleCollabPlus is SMP-3, up to 3 pre-approved free samples per creator per Collaboration
	// Plus, straight to "to ship": [Rule.Decide].
	RuleCollabPlus affrules.RuleID = "SMP-3"
	// RuleDeadline is SMP-4, content due within the collaboration period (Collaboration Plus)
	// or by a deadline; delivered without content is overdue: [Request.StateAt].
	RuleDeadline affrules.RuleID = "SMP-4"
	// RuleRefundable is SMP-5, refundable samples refunded in full when the sales goal is
	// reached within 60 days of the purchase: [Rule.Refund].
	RuleRefundable affrules.RuleID = "SMP-5"
	// RuleLifecycle is SMP-6, requested → approved / rejected → to ship → shipped → delivered →
	// fulfilled or overdue: [Request.StateAt] and [Rule.Record].
	RuleLifecycle affrules.RuleID = "SMP-6"
	// RuleAtomic is SMP-7, auto-approval counters checked and recorded atomically: [Ledger].
	RuleAtomic affrules.RuleID = "SMP-7"
	// RuleFulfilment is SMP-8, the fulfilment rate over a window: [Rule.Fulfilment].
	RuleFulfilment affrules.RuleID = "SMP-8"
	// RuleContentDue is SMP-9, content due 14 days after delivery outside Collaboration Plus,
	// with one 7-day extension: [Rule.Record].
	RuleContentDue affrules.RuleID = "SMP-9"
	// RuleAnswer is SMP-10, the seller's 7-day answer window, the 30-day wait after a
	// rejection or expiry, one open request per creator and product: [Rule.Decide].
	RuleAnswer affrules.RuleID = "SMP-10"
	// RuleOffers is SMP-12, a Collaboration Plus offering free samples, refundable samples,
	// both or neither: a Collaboration Plus request needs the collaboration to offer free
	// samples ([Rule.Decide]).
	RuleOffers affrules.RuleID = "SMP-12"
	// RuleSampleOrder is SMP-13, the sample order an approved request creates, shipped like a
	// customer order, earning no commission and no creator GMV by default: [Rule.Order].
	RuleSampleOrder affrules.RuleID = "SMP-13"
	// RuleMonthlyCap is SMP-11, monthly request caps by the creator's GMV band: [Rule.Decide].
	RuleMonthlyCap affrules.RuleID = "SMP-11"
)
