// Package ctxerr checks the context a store method is given, so that every store reports a nil
// context and a finished one the same way: as an error of the store's package.
package ctxerr

import (
	"context"
	"fmt"

	"github.com/affrules/affrules"
)

// Of returns nil if ctx may be used, else an error prefixed with pkg: for a nil ctx (which would
// make the method panic) one wrapping [affrules.ErrNilContext], for a cancelled or expired one its
// error, which errors.Is still finds.
func Of(pkg string, ctx context.Context) error {
	if ctx == nil {
		return fmt.Errorf("%s: %w", pkg, affrules.ErrNilContext)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%s: %w", pkg, err)
	}
	return nil
}
