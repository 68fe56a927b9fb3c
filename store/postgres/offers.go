package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/internal/fielderr"
)

// offers is the [commission.OfferStore] [Offers] returns.
type offers struct {
	pool *pgxpool.Pool
}

// Offers returns the [commission.OfferStore] kept in pool's database, which [Migrate] has
// prepared: a row per offer, and a row per market and product that a put locks, then the
// offer's row, while it checks and stores the offer.
func Offers(pool *pgxpool.Pool) commission.OfferStore { return &offers{pool: pool} }

// Put implements [commission.OfferStore.Put]. In one transaction it locks the row of o's
// market and product (creating it if needed), so that puts of one product wait for each other
// and the check for a second OPEN offer sees every offer committed, then o's row; it checks o
// with rule.Check against the stored offer, refuses a second OPEN offer as
// [commission.OfferMemory] does, and writes o.
func (s *offers) Put(ctx context.Context, rule commission.OfferRule, o commission.Offer, at time.Time) (commission.Offer, error) {
	if err := usable(ctx, s.pool); err != nil {
		return commission.Offer{}, err
	}
	if err := storableText("commission", "offer", o); err != nil {
		return commission.Offer{}, err
	}
	if err := errors.Join(keyLength("commission", "offer.id", o.ID), keyLength("commission", "offer.product", o.Product)); err != nil {
		return commission.Offer{}, err
	}
	if err := keyLength("commission", "offer.market", string(o.Market)); err != nil {
		// No registered market is that long: the rule's error (an unknown market), as
		// commission.OfferMemory reports it, before the index of markets and products refuses it.
		return commission.Offer{}, cmp.Or(rule.Check(nil, o, at), err)
	}
	var data []byte
	var domain bool // the error, if any, is the rule's, not the database's
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		domain = false
		if _, err := tx.Exec(ctx, `INSERT INTO affrules_offer_products (market, product) VALUES ($1, $2)
			ON CONFLICT (market, product) DO UPDATE SET product = EXCLUDED.product`, string(o.Market), o.Product); err != nil {
			return err
		}
		var prev *commission.Offer
		var stored []byte
		err := tx.QueryRow(ctx, `SELECT data FROM affrules_offers WHERE id = $1 FOR UPDATE`, o.ID).Scan(&stored)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		default:
			old, err := decodeOffer(stored)
			if err != nil {
				return err
			}
			prev = &old
		}
		if err := rule.Check(prev, o, at); err != nil {
			domain = true
			return err
		}
		o.Updated = at.UTC()
		var ends *time.Time // no end: the offer runs on
		if !o.Period.End.IsZero() {
			ends = &o.Period.End
		}
		if o.Source == commission.Open {
			// Every other OPEN offer of the product, checked against o by the rule
			// (commission.OfferRule.Conflicts), in ID order as the check of the memory store.
			rows, err := tx.Query(ctx, `SELECT id, data FROM affrules_offers WHERE market = $1 AND product = $2 AND source = $3 AND id <> $4 ORDER BY id COLLATE "C"`,
				string(o.Market), o.Product, commission.Open.String(), o.ID)
			if err != nil {
				return err
			}
			type held struct {
				ID   string
				Data []byte
			}
			others, err := pgx.CollectRows(rows, pgx.RowToStructByPos[held])
			if err != nil {
				return err
			}
			for _, x := range others {
				other, err := decodeOffer(x.Data)
				if err != nil {
					return err
				}
				if rule.Conflicts(other, o) {
					domain = true
					return rule.ConflictError(o, "offer "+strconv.Quote(x.ID))
				}
			}
		}
		if data, err = encode(o); err != nil {
			return fmt.Errorf("encode offer: %w", err)
		}
		if prev == nil {
			tag, err := tx.Exec(ctx, `INSERT INTO affrules_offers (id, market, product, source, starts, ends, data) VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (id) DO NOTHING`,
				o.ID, string(o.Market), o.Product, o.Source.String(), o.Period.Start, ends, data)
			if err == nil && tag.RowsAffected() == 0 {
				return errRace // another put stored an offer under o.ID since the SELECT
			}
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE affrules_offers SET market = $2, product = $3, source = $4, starts = $5, ends = $6, data = $7 WHERE id = $1`,
			o.ID, string(o.Market), o.Product, o.Source.String(), o.Period.Start, ends, data)
		return err
	})
	if err != nil {
		if domain {
			return commission.Offer{}, err
		}
		return commission.Offer{}, fmt.Errorf("postgres: put offer %s: %w", quoted(o.ID), err)
	}
	return decodeOffer(data)
}

// Offer implements [commission.OfferStore.Offer].
func (s *offers) Offer(ctx context.Context, id string) (commission.Offer, error) {
	if err := usable(ctx, s.pool); err != nil {
		return commission.Offer{}, err
	}
	if !textOK(id) { // nothing stored has such an ID
		return commission.Offer{}, fielderr.New("commission", "offer.id", strconv.Quote(id), "%w", commission.ErrNotFound)
	}
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT data FROM affrules_offers WHERE id = $1`, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return commission.Offer{}, fielderr.New("commission", "offer.id", strconv.Quote(id), "%w", commission.ErrNotFound)
	}
	if err != nil {
		return commission.Offer{}, fmt.Errorf("postgres: read offer %s: %w", quoted(id), err)
	}
	return decodeOffer(data)
}

// Offers implements [commission.OfferStore.Offers]; IDs are ordered by their bytes, as Go
// orders strings.
func (s *offers) Offers(ctx context.Context, market affrules.MarketCode, product string) ([]commission.Offer, error) {
	if err := usable(ctx, s.pool); err != nil {
		return nil, err
	}
	if _, err := affrules.LookupMarket(market); err != nil { // as commission.OfferMemory
		return nil, fielderr.New("commission", "market", strconv.Quote(string(market)), "%w", affrules.ErrUnknownMarket)
	}
	if !textOK(string(market)) || !textOK(product) {
		return nil, nil // nothing stored has such a key
	}
	rows, err := s.pool.Query(ctx, `SELECT data FROM affrules_offers WHERE market = $1 AND product = $2 ORDER BY id COLLATE "C"`, string(market), product)
	if err != nil {
		return nil, fmt.Errorf("postgres: list offers of %s in %s: %w", quoted(product), market, err)
	}
	all, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, fmt.Errorf("postgres: list offers of %s in %s: %w", quoted(product), market, err)
	}
	var out []commission.Offer
	for _, data := range all {
		o, err := decodeOffer(data)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

func decodeOffer(data []byte) (commission.Offer, error) {
	var o commission.Offer
	if err := json.Unmarshal(data, &o); err != nil {
		return commission.Offer{}, fmt.Errorf("postgres: decode offer: %w", err)
	}
	return o, nil
}
