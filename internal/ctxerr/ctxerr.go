// Package ctxerr checks the context a store method is given, so that every store reports a nil
// context and a finished one the same way: as an error of the store's package; and names the
// package in the error of a host's store that a package calls.
package ctxerr

import (
	"context"
	"fmt"
	"strings"

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

// Store returns the error err of a host's store that package pkg called for op ("ledger
// reserve"), with the package named: as it is if its text already begins with "pkg: ", else
// wrapped as "pkg: op: err", which errors.Is and errors.As still see through.
func Store(pkg, op string, err error) error {
	if err == nil || strings.HasPrefix(err.Error(), pkg+": ") {
		return err
	}
	return fmt.Errorf("%s: %s: %w", pkg, op, err)
}
