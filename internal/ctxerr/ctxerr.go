// Package ctxerr checks the context a store method is given, so that every store reports a nil
// context and a finished one the same way: as an error of the store's package.
package ctxerr

import (
	"context"
	"errors"
	"fmt"
)

// ErrNil is wrapped by the error [Of] returns for a nil context.
var ErrNil = errors.New("nil context.Context: pass context.Background() or a request's context")

// Of returns nil if ctx may be used, else an error prefixed with pkg: for a nil ctx (which would
// make the method panic) one wrapping [ErrNil], for a cancelled or expired one its error, which
// errors.Is still finds.
func Of(pkg string, ctx context.Context) error {
	if ctx == nil {
		return fmt.Errorf("%s: %w", pkg, ErrNil)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", pkg, err)
	}
	return nil
}
