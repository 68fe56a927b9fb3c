// Package affrules is the shared vocabulary of the affrules rule library: markets and their
// calendars, rates, money rounding, half-open periods, effective-dated values and the decisions,
// with reasons, that every evaluator returns.
//
// The domain packages build on it, one per area of the rule catalog: level (creator levels),
// eligibility (shop and product eligibility), invitation (marketplace invitations), and so on. Rule
// IDs such as "ELG-3" or "MKT-2" refer to the catalog; every [Reason] carries one.
//
// Three habits run through the library:
//
//   - Time is an argument (MKT-6). Nothing reads the clock; every evaluator takes the instant it
//     judges at, and "day" and "month" are calendar days and months in a market's time zone (MKT-2).
//     Effective-dated policy data is a [Timeline], and per market a [PerMarket].
//   - A business "no" is a [Decision], not an error (MKT-5). It lists every failing rule with the
//     observed value and the limit as typed [Value] values and a stable [MessageKey], and, where
//     time is the obstacle, when the action will next be allowed. The English text is built only
//     when asked for; a [Catalog] renders reasons in a host's own language. Errors are for bad
//     input, bad policy or a failing store: a *[FieldError] naming the package, field and value.
//   - Money is exact (MKT-4). Amounts are decimal.Decimal, rates are exact fractions ([Rate]), and
//     rounding happens once, at the end, to the market currency's minor unit with a named
//     [RoundingMode].
package affrules
