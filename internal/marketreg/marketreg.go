// Package marketreg lets the domain packages read what their hot paths need of a registered
// market, its zone and minor unit, without the copy of its channels that
// affrules.LookupMarket makes for its caller (an allocation on every call). The root package,
// which holds the registry, installs the lookup when it is initialised, before any package
// importing it runs.
package marketreg

import "time"

var lookup func(code string) (loc *time.Location, minorUnit int32, ok bool)

// Install sets the lookup. The root package calls it once, from its initialisation.
func Install(f func(code string) (loc *time.Location, minorUnit int32, ok bool)) { lookup = f }

// Lookup returns the zone and minor unit of the market registered under code, and whether one
// is. It allocates nothing.
func Lookup(code string) (loc *time.Location, minorUnit int32, ok bool) { return lookup(code) }
