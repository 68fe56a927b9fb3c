package fielderr

import (
	"errors"
	"testing"

	"github.com/affrules/affrules"
	"github.com/affrules/affrules/internal/strictjson"
)

func TestList(t *testing.T) {
	l := For("commission")
	if l.Err() != nil || l.Len() != 0 {
		t.Fatal("an empty list reports an error")
	}
	l.Add("order.base", "-1", "%w", affrules.ErrNegative)
	if err := l.Err(); err.Error() != "commission: order.base -1: must not be negative" || !errors.Is(err, affrules.ErrNegative) {
		t.Errorf("one problem: %v", err)
	}
	l.Append(nil)
	l.Append(errors.Join(New("commission", "a", 1, "x"), errors.Join(New("commission", "b", 2, "y"))))
	if l.Len() != 3 {
		t.Errorf("joined errors are flattened: %d problems", l.Len())
	}
	var fe *affrules.FieldError
	if !errors.As(l.Err(), &fe) || fe.Field != "order.base" {
		t.Errorf("errors.As: %v", fe)
	}
	if Join(nil, nil) != nil {
		t.Error("Join of nils is not nil")
	}
	if err := New("level", "name", "", "must not be empty"); err.Error() != `level: name "": must not be empty` {
		t.Errorf("empty value: %v", err)
	}
}

func TestProblems(t *testing.T) {
	if err := Problems("x", "", nil); err != nil {
		t.Fatalf("no problems: %v", err)
	}
	err := Problems("commission", "offer", []strictjson.Problem{
		{Path: "policy.rates[0].frm", Value: "1", Problem: "is not a field"},
		{Path: "policy", Value: `"Rates"`, Problem: "matches rates only when case is ignored"},
	})
	want := "commission: offer.rates[0].frm 1: is not a field\ncommission: offer \"Rates\": matches rates only when case is ignored"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}
