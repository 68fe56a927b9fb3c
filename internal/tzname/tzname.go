// Package tzname checks that a time zone a host names (a market's, a policy's) is written as an
// IANA zone name: time.LoadLocation also reads other files of a host's zone directory, which
// the library's embedded zone database lacks, so the same name would be valid on one host and
// not on another.
package tzname

import "strings"

// Valid reports whether name is written as an IANA zone name: "/"-separated parts of letters,
// digits, "_", "-" and "+", each starting with a letter, at most 64 bytes, and none of the files
// a zone directory holds besides zones ("Local", "localtime", "posixrules", "Factory", the "posix/" and "right/"
// copies), which the library's embedded zone database lacks.
func Valid(name string) bool {
	if len(name) == 0 || len(name) > 64 {
		return false
	}
	switch name {
	case "Local", "localtime", "posixrules", "Factory":
		return false
	}
	if strings.HasPrefix(name, "posix/") || strings.HasPrefix(name, "right/") {
		return false
	}
	for part := range strings.SplitSeq(name, "/") {
		if part == "" || !('A' <= part[0] && part[0] <= 'Z' || 'a' <= part[0] && part[0] <= 'z') {
			return false
		}
		for i := 0; i < len(part); i++ {
			switch c := part[i]; {
			case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_', c == '-', c == '+':
			default:
				return false
			}
		}
	}
	return true
}
