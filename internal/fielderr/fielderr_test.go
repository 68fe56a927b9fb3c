package fielderr

import (
	"errors"
	"testing"

	"github.com/affrules/affrules"
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
