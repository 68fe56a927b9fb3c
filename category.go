package affrules

// Category is a product category key such as "electronics". Categories are data, not a fixed
// enum (ELG-10): markets split them differently, and a policy names the ones it has rules for. An
// evaluator given a category its policy does not name returns an error wrapping
// [ErrUnknownCategory].
type Category string

// The categories the seed documents name. The seeds group "Fashion & Lifestyle"; the Thai seller
// guide gives them separate limits, so they are separate keys here.
const (
	Electronics Category = "electronics"
	Fashion     Category = "fashion"
	Lifestyle   Category = "lifestyle"
	FMCG        Category = "fmcg"
)
