package level

import (
	"strconv"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/enum"
	"github.com/affrules/affrules/internal/fielderr"
)

// Kind is what a creator can do for a seller (LVL-11): share product links only, or also create
// content, LIVE and short video. It is an input the host supplies with a creator ([Profile].Kind),
// not something this package derives from a month's events: a creator who only shared links last
// month may still be an affiliate creator.
//
// Sellers choose creators by kind ([Kind.Meets], [ByKind]); [Kind.Promotes] says which content a
// creator of the kind can promote (CP-18: a link-share-only creator cannot complete a LIVE or
// video task, which package collabplus applies to its link-share-only members; it restricts a
// member of unknown kind in nothing). The zero Kind is [UnknownKind], which meets no
// need and promotes nothing.
type Kind uint8

// Creator kinds (LVL-11).
const (
	UnknownKind      Kind = iota // not known: fails closed
	LinkShareOnly                // shares product links outside the platform, no LIVE or video
	AffiliateCreator             // shares links and creates content: LIVE and short video
)

var kindNames = enum.Names[Kind]{UnknownKind: "unknown", LinkShareOnly: "link_share_only", AffiliateCreator: "affiliate_creator"}

// String returns "unknown", "link_share_only" or "affiliate_creator", or "Kind(n)" for a value
// out of range.
func (k Kind) String() string { return kindNames.String("Kind", k) }

// MarshalText returns the kind's name, or an error for a value out of range.
func (k Kind) MarshalText() ([]byte, error) {
	if b, ok := kindNames.Text(k); ok {
		return b, nil
	}
	return nil, fielderr.New(pkg, "kind", int(k), "%w", affrules.ErrOutOfRange)
}

// UnmarshalText parses "unknown", "link_share_only" or "affiliate_creator".
func (k *Kind) UnmarshalText(b []byte) error {
	v, ok := kindNames.Parse(b)
	if !ok {
		return fielderr.New(pkg, "kind", strconv.Quote(string(b)), "must be one of %s (LVL-11)", kindNames.List())
	}
	*k = v
	return nil
}

// Promotes reports whether a creator of kind k can promote products by p (LVL-11): a
// link-share-only creator only by sharing links, an affiliate creator by LIVE, short video and
// links. An unknown kind, and any p that is not a promotion ([Selection] included), report
// false. This is the input Collaboration Plus task rules read (CP-18).
func (k Kind) Promotes(p Promotion) bool {
	switch k {
	case LinkShareOnly:
		return p == PromoLinkShare
	case AffiliateCreator:
		return p == PromoLinkShare || p == PromoLive || p == PromoVideo
	}
	return false
}

// Meets reports whether a creator of kind k meets a seller's need (LVL-11, seed 000: "determine
// if link-share-only creators meet your needs, or if affiliate creators are required"): a need
// for link sharing is met by either kind, a need for LIVE and short video only by an affiliate
// creator. An unknown kind meets nothing and an unknown need is met by nothing.
func (k Kind) Meets(need Kind) bool {
	switch need {
	case LinkShareOnly:
		return k == LinkShareOnly || k == AffiliateCreator
	case AffiliateCreator:
		return k == AffiliateCreator
	}
	return false
}

// ByKind returns a filter a seller applies to Marketplace profiles: it keeps the creators whose
// kind meets need ([Kind.Meets]).
func ByKind(need Kind) func(Profile) bool {
	return func(p Profile) bool { return p.Kind.Meets(need) }
}
