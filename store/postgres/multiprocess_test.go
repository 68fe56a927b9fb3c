package postgres_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/campaign"
	"github.com/affrules/affrules/commission"
	"github.com/affrules/affrules/eligibility"
	"github.com/affrules/affrules/invitation"
	"github.com/affrules/affrules/sample"
	"github.com/affrules/affrules/store/postgres"
)

// The environment of a child process of TestMultiProcess. envChild names what the child does
// and marks it as a child; the others give the schema it works in, the advisory lock it waits
// on before it starts, and its number among the processes.
const (
	envChild  = "AFFRULES_POSTGRES_CHILD"
	envSchema = "AFFRULES_POSTGRES_CHILD_SCHEMA"
	envGate   = "AFFRULES_POSTGRES_CHILD_GATE"
	envProc   = "AFFRULES_POSTGRES_CHILD_PROC"
)

// gateClass is the first key of the advisory locks the processes of TestMultiProcess start on;
// the second is drawn at random for each race, so that races of other test runs sharing the
// database do not meet.
const gateClass = 0x61666672 // "affr"

// childResult is what a child process reports, as one line of JSON after resultPrefix.
type childResult struct {
	Outcomes []string `json:"outcomes"` // one per call the child made, in the order of its calls
}

const resultPrefix = "affrules-child-result: "

// mpStart is when the multi-process races happen; the campaign's registration period is open
// then.
var mpStart = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

const (
	mpProcs           = 2  // operating-system processes in each race
	mpCalls           = 20 // concurrent requests each process makes in the sample race
	mpQuantity        = 3  // the sample quantity raced for
	mpInvitationLimit = 5  // daily invitation slots the processes race for (INV-2)
	mpRounds          = 8  // campaigns created, and products registered, by every process at once
)

func mpRule() sample.Rule {
	e, err := sample.New(sample.DefaultPolicy())
	if err != nil {
		panic(err)
	}
	r, err := e.Rule()
	if err != nil {
		panic(err)
	}
	return r
}

func mpEvaluator() *campaign.Evaluator {
	return campaign.MustNew(campaign.DefaultPolicy(), commission.MustNew(commission.DefaultPolicy()))
}

// mpCampaign returns the terms of an agency campaign in MY open to every seller, its
// registration period holding mpStart.
func mpCampaign(id string) campaign.Campaign {
	return campaign.Campaign{ID: id, Initiator: campaign.Agency, Owner: "partner-1", Market: affrules.MY, Name: "Campaign " + id,
		Contact: "ops@partner.example", Registration: affrules.Period{Start: mpStart.Add(-time.Hour), End: mpStart.Add(24 * time.Hour)},
		Period:      affrules.Period{Start: mpStart.Add(48 * time.Hour), End: mpStart.Add(30 * 24 * time.Hour)},
		Requirement: affrules.MustParseRate("10%"), Audience: campaign.Audience{All: true}}
}

// mpRegister returns the registration of product by shop-1 at rate r.
func mpRegister(product, r string) campaign.Action {
	reg := campaign.Registration{Product: product, Seller: "shop-1", Rate: affrules.MustParseRate(r),
		PartnerShare: affrules.MustParseRate("30%"), Samples: 5, Contact: "+60 3 1234 5678"}
	return campaign.Register(reg, eligibility.Result{ID: product, ShopID: "shop-1", Market: affrules.MY, State: eligibility.Eligible})
}

// mpSampleRequest returns partner agency-1's request for creator of product "serum" in
// shop-1's registration in campaign "year-end".
func mpSampleRequest(id, creator string) sample.Request {
	return sample.Request{ID: id, Seller: "shop-1", Creator: creator, Product: "serum", Market: affrules.MY,
		Source: sample.Campaign, Context: "year-end", Partner: "agency-1"}
}

// TestMultiProcess starts mpProcs copies of the test binary, each with its own pool on one
// schema, and lets them race, released at once by an advisory lock: for the last units of a
// campaign's sample quantity (exactly mpQuantity approved automatically across all processes,
// SMP-2, SMP-7), to create the same campaigns (one process wins each, the others get
// campaign.ErrConflict) and to register the same products in one campaign (one process wins
// each, CMP-4). It then checks what the database holds.
func TestMultiProcess(t *testing.T) {
	pool := migrated(t)
	ctx := context.Background()
	var schema string
	if err := pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}

	t.Run("LastSampleUnits_SMP7", func(t *testing.T) {
		results := race(t, pool, schema, "samples")
		auto, review := 0, 0
		for p, res := range results {
			if len(res.Outcomes) != mpCalls {
				t.Fatalf("process %d reported %d outcomes, want %d", p, len(res.Outcomes), mpCalls)
			}
			for i, o := range res.Outcomes {
				switch o {
				case sample.ToShip.String():
					auto++
				case sample.Requested.String():
					review++
				default:
					t.Errorf("process %d, request %d: %s", p, i, o)
				}
			}
		}
		if auto != mpQuantity || review != mpProcs*mpCalls-mpQuantity {
			t.Errorf("processes report %d approved automatically and %d waiting for review; want exactly %d and %d (SMP-2, SMP-7)",
				auto, review, mpQuantity, mpProcs*mpCalls-mpQuantity)
		}

		// The database holds every request once, exactly mpQuantity of them approved
		// automatically, and a counter that says so.
		var counter int64
		if err := pool.QueryRow(ctx, `SELECT auto FROM affrules_sample_quantities WHERE seller = 'shop-1' AND context = 'year-end' AND product = 'serum' AND market = 'MY'`).Scan(&counter); err != nil {
			t.Fatal(err)
		}
		if counter != mpQuantity {
			t.Errorf("counter of automatic approvals = %d, want %d", counter, mpQuantity)
		}
		l := postgres.Samples(pool)
		stored, storedAuto := 0, 0
		for p := range mpProcs {
			for i := range mpCalls {
				rs, err := l.Requests(ctx, fmt.Sprintf("creator-%d-%d", p, i))
				if err != nil {
					t.Fatal(err)
				}
				if len(rs) != 1 {
					t.Errorf("creator-%d-%d holds %d requests, want 1", p, i, len(rs))
					continue
				}
				stored++
				if got, want := rs[0].StateAt(mpStart), res(results, p, i); got.String() != want {
					t.Errorf("creator-%d-%d: stored state %v, the process reported %s", p, i, got, want)
				}
				if rs[0].StateAt(mpStart) == sample.ToShip {
					storedAuto++
				}
			}
		}
		if stored != mpProcs*mpCalls || storedAuto != mpQuantity {
			t.Errorf("database holds %d requests, %d approved automatically; want %d and %d", stored, storedAuto, mpProcs*mpCalls, mpQuantity)
		}
	})

	// INV-11: processes racing for an account's last invitation slots of a day never admit more
	// than the daily limit, and hand out each number once.
	t.Run("LastInvitationSlots_INV11", func(t *testing.T) {
		results := race(t, pool, schema, "invitations")
		seqs := map[string]bool{}
		daily := 0
		for p, res := range results {
			for i, o := range res.Outcomes {
				switch {
				case o == "daily":
					daily++
				case strings.HasPrefix(o, "seq "):
					if seqs[o] {
						t.Errorf("%s handed out twice", o)
					}
					seqs[o] = true
				default:
					t.Errorf("process %d, reservation %d: %s", p, i, o)
				}
			}
		}
		if len(seqs) != mpInvitationLimit || daily != mpProcs*mpCalls-mpInvitationLimit {
			t.Errorf("processes admitted %d and refused %d by the daily limit; want exactly %d and %d (INV-2, INV-11)",
				len(seqs), daily, mpInvitationLimit, mpProcs*mpCalls-mpInvitationLimit)
		}
		page, err := postgres.Invitations(pool).History(ctx, invitation.Query{Account: "acct-mp", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Records) != mpInvitationLimit {
			t.Errorf("the ledger holds %d invitations, want %d", len(page.Records), mpInvitationLimit)
		}
	})

	t.Run("SameCampaign", func(t *testing.T) {
		results := race(t, pool, schema, "create")
		s := postgres.Campaigns(pool)
		for round := range mpRounds {
			id := fmt.Sprint("race-", round)
			winner := -1
			for p, res := range results {
				switch o := res.Outcomes[round]; o {
				case "created":
					if winner >= 0 {
						t.Errorf("%s: processes %d and %d both created it", id, winner, p)
					}
					winner = p
				case "conflict":
				default:
					t.Errorf("%s, process %d: %s, want created or campaign.ErrConflict", id, p, o)
				}
			}
			if winner < 0 {
				t.Errorf("%s: no process created it", id)
				continue
			}
			c, err := s.Campaign(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprint("process ", winner); c.Name != want {
				t.Errorf("%s: stored campaign named %q, want the winner's, %q", id, c.Name, want)
			}
		}
		if cs, err := s.Campaigns(ctx, ""); err != nil || len(cs) != mpRounds {
			t.Errorf("database holds %d campaigns (%v), want %d", len(cs), err, mpRounds)
		}
	})

	t.Run("SameProduct_CMP4", func(t *testing.T) {
		s := postgres.Campaigns(pool)
		if _, err := s.Create(ctx, mpEvaluator(), mpCampaign("reg"), mpStart.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		results := race(t, pool, schema, "register")
		c, err := s.Campaign(ctx, "reg")
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Products) != mpRounds {
			t.Errorf("campaign holds %d registrations, want %d", len(c.Products), mpRounds)
		}
		for round := range mpRounds {
			product := fmt.Sprint("p", round)
			winner := -1
			for p, res := range results {
				switch o := res.Outcomes[round]; o {
				case "registered":
					if winner >= 0 {
						t.Errorf("%s: processes %d and %d both registered it", product, winner, p)
					}
					winner = p
				case "refused":
				default:
					t.Errorf("%s, process %d: %s, want registered or a CMP-4 refusal", product, p, o)
				}
			}
			held := 0
			for _, r := range c.Products {
				if r.Product != product {
					continue
				}
				held++
				if want := affrules.MustParseRate(fmt.Sprintf("%d%%", 10+winner)); winner >= 0 && !r.Rate.Equal(want) {
					t.Errorf("%s: stored at rate %v, want the winner's, %v", product, r.Rate, want)
				}
			}
			if winner < 0 || held != 1 {
				t.Errorf("%s: won by process %d, held %d times; want one winner and one registration", product, winner, held)
			}
		}
	})
}

// res returns the outcome process p reported for its call i.
func res(results []childResult, p, i int) string {
	if i < len(results[p].Outcomes) {
		return results[p].Outcomes[i]
	}
	return ""
}

// race runs mpProcs child processes doing what, in schema, starting them at once, and
// returns what each reported.
func race(t *testing.T, pool *pgxpool.Pool, schema, what string) []childResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	gate := rand.Int32N(1 << 30)

	// Hold the gate until every child waits on it.
	holder, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Release()
	if _, err := holder.Exec(ctx, `SELECT pg_advisory_lock($1, $2)`, gateClass, gate); err != nil {
		t.Fatal(err)
	}
	released := false
	release := func() {
		if !released {
			released = true
			if _, err := holder.Exec(ctx, `SELECT pg_advisory_unlock($1, $2)`, gateClass, gate); err != nil {
				t.Error(err)
			}
		}
	}
	defer release()

	type run struct {
		out, errOut bytes.Buffer
		err         error
	}
	runs := make([]*run, mpProcs)
	var wg sync.WaitGroup
	exited := make(chan int, mpProcs)
	for p := range mpProcs {
		r := &run{}
		runs[p] = r
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestMultiProcessChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envChild+"="+what, envSchema+"="+schema, envGate+"="+strconv.Itoa(int(gate)), envProc+"="+strconv.Itoa(p))
		cmd.Stdout, cmd.Stderr = &r.out, &r.errOut
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.err = cmd.Wait()
			exited <- p
		}()
	}
	defer func() { cancel(); wg.Wait() }() // a failure below ends the children

	for waiting := 0; waiting < mpProcs; {
		select {
		case p := <-exited:
			cancel()
			t.Fatalf("process %d ended before the start: %v\n%s%s", p, runs[p].err, &runs[p].out, &runs[p].errOut)
		case <-time.After(10 * time.Millisecond):
		}
		err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
			AND classid::int8 = $1 AND objid::int8 = $2 AND objsubid = 2`, gateClass, gate).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
	}
	release()
	wg.Wait()

	results := make([]childResult, mpProcs)
	for p, r := range runs {
		if r.err != nil {
			t.Fatalf("process %d: %v\n%s%s", p, r.err, &r.out, &r.errOut)
		}
		found := false
		sc := bufio.NewScanner(&r.out)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), resultPrefix); ok {
				if err := json.Unmarshal([]byte(line), &results[p]); err != nil {
					t.Fatalf("process %d: %v", p, err)
				}
				found = true
			}
		}
		if !found {
			t.Fatalf("process %d reported nothing:\n%s%s", p, &r.out, &r.errOut)
		}
	}
	return results
}

// TestMultiProcessChild is not a test: it is the body of a child process of TestMultiProcess,
// and returns at once in any other process.
func TestMultiProcessChild(t *testing.T) {
	what := os.Getenv(envChild)
	if what == "" {
		return
	}
	proc, err := strconv.Atoi(os.Getenv(envProc))
	if err != nil {
		t.Fatal(err)
	}
	gate, err := strconv.Atoi(os.Getenv(envGate))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, err := pgxpool.ParseConfig(os.Getenv(envURL))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.RuntimeParams["search_path"] = os.Getenv(envSchema)
	cfg.MaxConns = 4
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	// Open the pool's connections before the start, so the calls race on the database rather
	// than on connecting.
	var conns []*pgxpool.Conn
	for range cfg.MaxConns {
		c, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	// Wait at the gate: the parent holds it until every process waits.
	if _, err := conns[0].Exec(ctx, `SELECT pg_advisory_lock_shared($1, $2)`, gateClass, gate); err != nil {
		t.Fatal(err)
	}
	if _, err := conns[0].Exec(ctx, `SELECT pg_advisory_unlock_shared($1, $2)`, gateClass, gate); err != nil {
		t.Fatal(err)
	}
	for _, c := range conns {
		c.Release()
	}

	var outcomes []string
	switch what {
	case "samples":
		l, rule := postgres.Samples(pool), mpRule()
		f := sample.Facts{Quantity: mpQuantity, Band: "band_1"}
		outcomes = together(mpCalls, func(i int) string {
			creator := fmt.Sprintf("creator-%d-%d", proc, i)
			r, d, err := l.Request(ctx, rule, mpSampleRequest(creator, creator), f, mpStart)
			switch {
			case err != nil:
				return "error: " + err.Error()
			case !d.Allowed:
				return "denied: " + d.String()
			}
			return r.StateAt(mpStart).String()
		})
	case "invitations":
		l := postgres.Invitations(pool)
		a := invitation.Account{ID: "acct-mp", HomeMarket: affrules.MY, Partner: true}
		q := invitation.Quota{DailyLimit: mpInvitationLimit, RepeatWindowDays: 7}
		outcomes = together(mpCalls, func(i int) string {
			r, d, err := l.Reserve(ctx, q, a, invitationTo(affrules.MY, fmt.Sprintf("creator-%d-%d", proc, i), invitation.ProductDistribution), mpStart)
			switch {
			case err != nil:
				return "error: " + err.Error()
			case d.Allowed:
				return fmt.Sprint("seq ", r.Seq)
			case d.Failed(invitation.RuleDaily):
				return "daily"
			}
			return "denied: " + d.String()
		})
	case "create":
		s, e := postgres.Campaigns(pool), mpEvaluator()
		outcomes = together(mpRounds, func(i int) string {
			c := mpCampaign(fmt.Sprint("race-", i))
			c.Name = fmt.Sprint("process ", proc)
			_, err := s.Create(ctx, e, c, mpStart.Add(-time.Hour))
			switch {
			case err == nil:
				return "created"
			case errors.Is(err, campaign.ErrConflict):
				return "conflict"
			}
			return "error: " + err.Error()
		})
	case "register":
		s, e := postgres.Campaigns(pool), mpEvaluator()
		outcomes = together(mpRounds, func(i int) string {
			_, err := s.Apply(ctx, e, "reg", mpRegister(fmt.Sprint("p", i), fmt.Sprintf("%d%%", 10+proc)), mpStart)
			var r *affrules.Refusal
			switch {
			case err == nil:
				return "registered"
			case errors.As(err, &r) && r.Decision.Failed(campaign.RuleRegistration):
				return "refused"
			}
			return "error: " + err.Error()
		})
	default:
		t.Fatalf("%s=%q: unknown", envChild, what)
	}
	out, err := json.Marshal(childResult{Outcomes: outcomes})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%s%s\n", resultPrefix, out)
}

// together runs f(0) … f(n-1) on n goroutines released at once and returns their results.
func together(n int, f func(i int) string) []string {
	out := make([]string, n)
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			out[i] = f(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
	return out
}
