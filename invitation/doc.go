// Package invitation evaluates the invitation rules of SPEC §3 (INV-1..11): MCN and
// affiliate-partner accounts inviting creators of the Affiliate Marketplace.
//
// Build an [Evaluator] from a validated [Policy] with [New]; [Evaluator.Send] is the whole of
// sending one invitation. It splits the rules in two:
//
//   - Bad input is an error and records nothing ([Evaluator.Validate]): an unknown or unallowed
//     market (INV-1), missing, unoffered or malformed contacts (INV-5), an empty, malformed or
//     oversize message (INV-6), an unknown purpose or one the account's roles do not allow
//     (INV-7). These are mistakes of the caller that waiting will not fix.
//   - A business "no" is an [affrules.Decision] with reasons: a creator not listed in the
//     marketplace (INV-8), the daily limit (INV-2) and the seven-day rule (INV-3), the last two
//     shared across the account's roles (INV-4). Where time is the obstacle the decision says when
//     the invitation will next be possible. Each reason carries typed values and a stable
//     message key ("invitation.inv2.failed", "invitation.inv3.failed",
//     "invitation.inv8.failed"); its English text is built only when asked for, and a host
//     renders it in its own language with an [affrules.Catalog].
//
// The quota rule is a small comparable value, [Quota], with the pure function [Quota.Check] of
// the account's [Usage]: the one place INV-2..4 is decided. A [Ledger] owns no policy: it stores
// the usage and the history, and is given the quota on every [Ledger.Reserve], which calls Check
// inside the atomic step that records an invitation (INV-11); Send passes the evaluator's
// policy's quota, so one policy governs the input rules and the quotas. [Memory] is the
// in-memory ledger, and package invitationtest is the conformance suite any ledger must pass.
// History queries ([Query]) serve INV-9 and [Ledger.Respond] with [Record.ContactsShown] INV-10.
//
// Policy loading follows the library's one rule ([ParsePolicy]): keys that name no field, that
// name one only when case is ignored, or that are given twice are errors at any depth; a
// top-level setting left out (or given as null) keeps its [DefaultPolicy] value; every problem
// of the document's shape is reported at once, and for a document of the right shape every
// problem [Policy.Validate] finds, as [*affrules.FieldError] values.
//
// Zero values: the zero [Evaluator] returns [ErrNoPolicy] from every method; the zero [Memory]
// is an empty ledger ready for use; the zero [Quota] (and [Policy]) denies every invitation and
// is refused by [New] and [Ledger.Reserve] as out of range; the zero [Usage], [Record] and [Page]
// are "nothing yet"; the zero [Account], [Invitation], [Contact] and [Purpose] are refused by
// Validate with the sentinels it documents, and the zero [Query] by a ledger with [ErrQuery].
//
// Interpretations (each a default that policy data changes, SPEC's "Interpretation" items and the
// choices this package makes where the catalog is silent):
//
//   - INV-1: an account invites in its home market and in the markets listed in
//     [Account.Markets] (a cross-border partner); its quotas are one budget across all of them.
//   - INV-2: the day is the calendar day of the account's home market (MKT-2), so a London
//     account's day is 23 or 25 hours long on DST change days; a resend counts. The limit resets
//     at the next local midnight, which is the retry instant of a refusal.
//   - INV-3: "within 7 days" is MKT-3's rolling window: an invitation exactly 7×24h after the last
//     one to the same creator is allowed; the retry instant of a refusal is that moment.
//   - When both INV-2 and INV-3 refuse, NextAllowed is the later of the two retry instants, the
//     first moment at which both pass.
//   - A clock that goes backwards never reopens a quota: an instant before the account's latest
//     counted day is counted in that day, and one before the last invitation to a creator is
//     inside that invitation's window. A ledger keeps the repeat windows of one window back from
//     the latest instant it has been given for the account (its present); [Memory] takes an
//     earlier instant as that present for INV-3, so a creator's window never starts before it.
//   - A quota changed between calls applies from the next call: the day's count as it stands
//     is held to the new daily limit, and the last invitation to a creator to the new window.
//   - INV-5: the channels of a market are its [affrules.Market] channels unless
//     [Policy.Channels] overrides them (UK and SG: Email, WhatsApp, Phone); at least one contact
//     must be on a channel other than Phone, no channel twice. Values: e-mail addresses in plain
//     ASCII local@domain form (an internationalised domain in its xn-- form); phone, WhatsApp,
//     Zalo and Viber as numbers of 7–15 digits with an optional "+" and common separators; LINE
//     IDs of 4–20 of a–z, 0–9, ".", "-", "_", upper case accepted; see [Contact].
//   - INV-6: words are whitespace-separated tokens. Text of scripts written without spaces
//     (Thai, Lao, Khmer, Myanmar, Chinese, Japanese kana) is counted by character against
//     [Policy.MaxSpacelessChars], default 2500 (500 words of about five characters, a typical Thai
//     word with its vowel and tone marks). A message mixing both spends the budgets in
//     proportion: words/500 + characters/2500 must not exceed 1. A token made only of such
//     characters counts as characters, not as a word, so Thai cannot bypass the limit. A token
//     is one word however long it is: a very long run of Latin text without whitespace counts
//     as one word, as the catalog's definition has it.
//   - INV-7: creator partnership needs the MCN role, product distribution the affiliate-partner
//     role; a purpose the account cannot pick is bad input, not a decision.
//   - INV-8: whether a creator is listed is [eligibility.Listed] for the inviting account. An
//     unlisted creator is a decision (the marketplace changes, the request was well-formed), and
//     the quotas are then not consulted. The creator is given to Send once, as an
//     eligibility.Creator, whose ID is the recorded [Invitation.CreatorID].
//   - INV-9: history is newest first in recording order (Seq), with a cursor for pages; search
//     is a case-insensitive substring of username or nickname; "latest per creator" applies after
//     the other filters. A resend is a new Send under the quotas.
//   - INV-10: answering "interested" is recorded once; the contacts are shown to the creator from
//     then on.
package invitation
