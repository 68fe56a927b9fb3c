package tzname

import (
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	for _, name := range []string{"UTC", "Europe/London", "Etc/GMT+5", "America/Argentina/Buenos_Aires", "America/Port-au-Prince"} {
		if !Valid(name) {
			t.Errorf("%q refused", name)
		}
	}
	for _, name := range []string{"", "Local", "localtime", "posixrules", "Factory", "right/UTC", "posix/Asia/Singapore", "America//New_York",
		"./UTC", "Asia/./Singapore", "../UTC", "/etc/localtime", "utc ", "Asia/", "1Asia/X", strings.Repeat("A", 65)} {
		if Valid(name) {
			t.Errorf("%q accepted", name)
		}
	}
}
