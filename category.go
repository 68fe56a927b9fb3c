package affrules

// Category is a product category key such as "electronics". Categories are data, not a fixed
// enum (ELG-10): markets split them differently, and a policy names the ones it has rules for.
// Keys compare exactly ("Electronics" is not "electronics"). An evaluator whose rules depend on
// the category (eligibility's limits) returns an error wrapping [ErrUnknownCategory] for a
// category its policy does not name; commission reads an order's category only to advise on a
// rate below the suggested one (COM-14), which an order of a category without a suggested rate
// in its market does not get.
type Category string

// The categories the seed documents name. The seeds group "Fashion & Lifestyle"; the Thai seller
// guide gives them separate limits, so they are separate keys here.
const (
	Electronics Category = "electronics"
	Fashion     Category = "fashion"
	Lifestyle   Category = "lifestyle"
	FMCG        Category = "fmcg"
)
