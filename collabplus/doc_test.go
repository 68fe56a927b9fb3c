package collabplus_test

import (
	"testing"

	"github.com/affrules/affrules/internal/doccheck"
)

// The package doc lists every message key the package defines (see doccheck).
func TestDocListsEveryMessageKey(t *testing.T) { doccheck.MessageKeys(t, 40) }
