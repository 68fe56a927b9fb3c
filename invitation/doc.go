// Package invitation evaluates the invitation rules of SPEC §3 (INV-1..13): MCN and
// affiliate-partner accounts inviting creators of the Affiliate Marketplace.
//
// Build an [Evaluator] from a validated [Policy] with [New]; [Evaluator.Send] is the whole of
// sending one invitation. It splits the rules in two:
//
//   - Bad input is an error and records nothing ([Evaluator.Validate]): an unknown market, one
//     where the policy offers no invitations (MKT-1) or one the account does not invite in
//     (INV-1), missing, unoffered or malformed contacts (INV-5), an empty, malformed or oversize
//     message (INV-6), an unknown purpose or one the account's roles do not allow (INV-7), an
//     account that may not use the Marketplace (INV-12), a malformed profile (INV-13). These are
//     mistakes of the caller that waiting will not fix.
//   - A business "no" is an [affrules.Decision] with reasons: a creator not listed in the
//     marketplace for the invitation's purpose (INV-8), the daily limit (INV-2) and the seven-day
//     rule (INV-3), the last two
//     shared across the account's roles (INV-4). Where time is the obstacle the decision says when
//     the invitation will next be possible. Each reason carries typed values and a stable
//     message key ("invitation.inv2.failed", "invitation.inv3.failed",
//     "invitation.inv8.failed"), the last followed by the listing's own reasons, with the keys
//     package eligibility documents ("eligibility.elg7.official_account" and the other ELG-7,
//     INV-7, ELG-8 and INV-12 keys); its English text is built only when asked for, and a host
//     renders it in its own language with an [affrules.Catalog].
//
// The quota rule is a small comparable value, [Quota], with the pure function [Quota.Check] of
// the account's [Usage]: the one place INV-2..4 is decided. A [Ledger] owns no policy: it stores
// the usage and the history, and is given the quota on every [Ledger.Reserve], which calls Check
// inside the atomic step that records an invitation (INV-11); Send passes the evaluator's
// policy's quota, so one policy governs the input rules and the quotas. [Memory] is the
// in-memory ledger, and package invitationtest is the conformance suite any ledger must pass.
// History queries ([Query]) serve INV-9 and [Ledger.Respond] with [Record.ContactsShown] INV-10.
// What the creator is shown (INV-13) is the invitation's message and its [Showcase], which Send
// fills from the [Account] and the record carries, and [Evaluator.Shown] gives (or, under
// [Policy.LiveShowcase], the account's profile as it is when shown).
//
// Policy loading follows the library's one rule ([ParsePolicy]): keys that name no field, that
// name one only when case is ignored, or that are given twice are errors at any depth; a
// top-level setting left out keeps its [DefaultPolicy] value, as does one given as null unless it
// is a list or map, which null makes nil (as encoding/json writes a nil one); every problem
// of the document's shape is reported at once, and for a document of the right shape every
// problem [Policy.Validate] finds, as [*affrules.FieldError] values.
//
// Zero values: the zero [Evaluator] returns [ErrNoPolicy] from every method; the zero [Memory]
// is an empty ledger ready for use; the zero [Quota] (and [Policy]) is out of range, refused by
// [New], [Quota.Check] and [Ledger.Reserve]; the zero [Usage], [Record] and [Page]
// are "nothing yet"; the zero [Account], [Invitation], [Contact] and [Purpose] are refused by
// Validate with the sentinels it documents, and the zero [Query] by a ledger with [ErrQuery];
// the zero [Company], [Showcase] show nothing, as a nil Account.Company or Invitation.Showcase
// does (both are pointers so that the values a host passes on every reservation stay small).
//
// Interpretations (SPEC's "Interpretation" items and the choices this package makes where the
// catalog is silent). Each is the default: the policy setting that changes it is named beside it
// ([Policy] fields); a reading named without one is fixed in this version:
//
//   - MKT-1: invitations are offered in [Policy.Markets], by default the Affiliate
//     Marketplace's seven (UK, ID, MY, VN, TH, PH, SG); a market a host registers is not among
//     them until the policy lists it, and an invitation elsewhere is bad input ([ErrMarket]).
//     The list is checked against the markets registered when the policy is validated.
//   - INV-1: an account invites in its home market and in the markets listed in
//     [Account.Markets] (a cross-border partner), of those the policy offers; its quotas are one
//     budget across all of them.
//   - INV-2: the day is the calendar day of the account's home market (MKT-2), so a London
//     account's day is 23 or 25 hours long on DST change days ([Quota].DayZone names another
//     zone whose days count for every account, "UTC" say; [Quota.Day]); a resend counts. The limit resets
//     at the next local midnight, which is the retry instant of a refusal.
//   - INV-3: "within 7 days" is MKT-3's rolling window: an invitation exactly 7×24h after the last
//     one to the same creator is allowed; the retry instant of a refusal is that moment.
//   - When both INV-2 and INV-3 refuse, NextAllowed is the later of the two retry instants, the
//     first moment at which both pass.
//   - Instants out of order: a reservation is judged at its own instant over every invitation
//     recorded so far, whatever order instants arrive in. The day's count is that of the
//     instant's own calendar day; a creator invited less than 7×24h before or after the instant
//     is refused, the reason naming that invitation; NextAllowed is the first instant the
//     recorded invitations allow (past a full day, and the next if it is full too, and past the
//     window). A refusal or an error records nothing and changes nothing a later answer
//     depends on.
//   - Lateness bound: an instant may be at most [AllowLate] (default one minute, at most 12
//     hours) behind the latest instant accepted for the same account, so that the ledger keeps
//     only two day counts and one instant per creator; further behind is an error wrapping
//     [ErrTooLate], recording nothing. An account's own instants alone set it.
//   - Lead bound: an instant may be at most [AllowAhead] (default 30 days) ahead of the latest
//     instant the whole ledger has accepted, for any account (ErrTooFarAhead beyond it), and at
//     most as far behind it (ErrTooLate): a clock that jumps years ahead is refused, not
//     allowed to hold an account's quotas for years, and one instant accepted at the lead
//     leaves real instants within bounds. This is the one way other accounts' instants bear on
//     an account's answers, and it bears on all of them: one account's instants move the bound
//     for every account, so one account sending instants a little less than the lead apart can
//     carry the ledger's latest instant months ahead, after which every other account's real
//     instants are refused as too late, in effect for the life of the ledger (until real time
//     catches up). A host that lets accounts supply their own instants checks them against its
//     own clock first. The ledger has no clock: its first instant is taken as given, and one
//     that accepted nothing for longer than the lead refuses every later instant.
//   - Idle accounts: an account that has accepted nothing for longer than the lead, whose
//     counted day and windows no instant within the bounds can reach, gives up that state; once
//     its history is also older than the retention ([KeepHistory]) the ledger forgets it. Should
//     it come back, its invitations are numbered above every number its part of the ledger has
//     forgotten ([Record.Seq]): numbers never repeat for an account, and may start above 1.
//   - A quota changed between calls applies from the next call: the day's count as it stands
//     is held to the new daily limit, and the last invitation to a creator to the new window.
//   - INV-5: the channels of a market are its [affrules.Market] channels unless
//     [Policy.Channels] overrides them (UK and SG: Email, WhatsApp, Phone); at least one contact
//     must be on a channel other than Phone ([Policy.PhoneAloneCounts], default false, lets a
//     phone number alone count, and a channel override offer phone alone), no channel twice.
//     Values: e-mail addresses in plain
//     ASCII local@domain form (an internationalised domain in its xn-- form); phone, WhatsApp,
//     Zalo and Viber as numbers of 7–15 digits with an optional "+" and common separators; LINE
//     IDs of 4–20 of a–z, 0–9, ".", "-", "_", upper case accepted; see [Contact]. A channel a
//     policy names must be known: the library's six, one a registered market offers, or one the
//     policy declares in [Policy.CustomChannels], whose values are free text with a visible
//     character and no control or invisible characters (blank fillers included).
//   - INV-6: words are whitespace-separated tokens. Text of scripts written without spaces (Thai,
//     Lao, Khmer, Myanmar, Chinese, Japanese kana; [Policy.SpacelessScripts]) is counted by
//     character against [Policy.MaxSpacelessChars], default 2500 (500 words of about five
//     characters, a typical Thai word with its vowel and tone marks). A message mixing both spends
//     the budgets in proportion: words/500 + characters/2500 must not exceed 1. A token made only
//     of such characters counts as characters, not as a word, so Thai cannot bypass the limit. A
//     token is one word however long it is: a very long run of Latin text without whitespace counts
//     as one word, as the catalog's definition has it. So, whatever the budgets, a message is also
//     at most 20,000 characters (Unicode code points: a Thai character or "😀" is one, a
//     zero-width-joined emoji sequence one per part), a constant, not policy. The catalog gives no
//     length in characters; this is 40 characters a word of the default 500 and four times the
//     longest company text (an introduction's 5,000): no real message reaches it, and it bounds
//     what a ledger stores. Invisible format characters (zero-width space, word joiner, byte-order
//     mark, zero-width joiner and non-joiner, soft hyphen: Unicode Cf) and the blank fillers that
//     render as space (Hangul fillers, the braille blank) separate words like whitespace, so they
//     cannot join 600 words into one; a zero-width joiner between two characters that are neither
//     letters nor digits joins an emoji sequence (a family is one word). A message must show
//     something: one made only of whitespace and invisible characters (Hangul fillers and the
//     braille blank included) is refused, as is any control character but tab, line feed and
//     carriage return (NUL, escape, C1 controls) and any bidirectional control (which would show it
//     in another order than it is written, as the texts of INV-13 refuse it).
//   - INV-7: creator partnership needs the MCN role, product distribution the affiliate-partner
//     role; a purpose the account cannot pick is bad input, not a decision. [Purpose] is
//     eligibility's, on which the listing depends.
//   - INV-8: whether a creator is listed is the policy's [eligibility.Listing] for the inviting
//     account's roles ([Account.Viewer]) and the invitation's purpose ([Policy.Listing], default
//     [eligibility.DefaultListing]): another MCN's creator is never listed for creator
//     partnership, and is for product distribution by an account holding the affiliate-partner
//     role (PartnerSeesManaged, default true). An unlisted creator is a decision (the
//     marketplace changes, the request was well-formed), and the quotas are then not consulted.
//     The creator is given to Send once, as an eligibility.Creator, whose ID is the recorded
//     [Invitation.CreatorID].
//   - INV-9: history is newest first in recording order (Seq), with a cursor for pages; search
//     is a case-insensitive substring of username or nickname (Unicode simple case folding, as
//     strings.EqualFold), each at most 200 characters (a
//     constant, as a linked creator's username of INV-13; either may be empty, a longer one is
//     bad input wrapping [affrules.ErrOutOfRange]); the time range is [From, To) of
//     the invitation instant; the purpose and market filters ([Query.Purpose], [Query.Market])
//     keep one purpose or one market, the creator's (the invitation's market); "latest per
//     creator" applies after the other filters. A resend is a new Send under the quotas.
//   - INV-10: answering "interested" is recorded once; the contacts are shown to the creator from
//     then on.
//   - INV-12: an account holding only the affiliate-partner role may not use the Marketplace;
//     its invitations are bad input ([ErrAccess]), like a purpose its roles do not allow (INV-7).
//     The policy's Listing.AllowPartnerOnly (default false) admits it.
//   - INV-13: the company information ([Company]: number of linked creators, name, services,
//     category, introduction, address) and the linked creators are inputs on the [Account], kept
//     by its account manager; Send copies them onto the invitation as at the send instant
//     ([Invitation.Showcase]), the top [Policy.TopCreators] (default 3) linked creators by
//     followers, most first, ties by creator ID, or nil when that shows nothing, and the
//     creator is shown that copy ([Evaluator.Shown]; [Policy.LiveShowcase]: the account's
//     profile as it is when shown, so an account manager's edit reaches invitations already
//     sent). The message shown is the invitation's own. A ledger returns nil for a showcase
//     that holds nothing.
//
// # Reasons
//
// Each reason of a decision ([Evaluator.Send], [Quota.Check], [Ledger.Reserve]) carries a stable
// message key and typed values, by which a host renders it in its own language with an
// [affrules.Catalog]. All three are failed reasons; invitation.inv8.failed is followed by the
// reasons of package eligibility's listing, whose keys that package lists:
//
//	invitation.inv2.failed  Count of the day's invitations; Count the daily limit; subject: the day, "2006-01-02" in the home market
//	invitation.inv2.failed_day_zone  the same, the day of the zone Quota.DayZone names
//	invitation.inv3.failed  Instant of the last invitation to the creator, in the home market's zone; DaysOf the repeat window
//	invitation.inv8.failed  Text: the creator's ID; subject: the inviting account's ID; then the listing's own reasons
package invitation
