package affrules

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// MessageKey names one outcome of one rule, such as "eligibility.elg3.failed". Keys
// are stable: a host keys its own translations by them ([Catalog]).
type MessageKey string

// Message is the English wording of one [MessageKey]: the message, and how the observed value and
// the limit read. Each is a template in which {observed}, {limit} and {subject} stand for the
// reason's values (rendered by [Value.String]) and subject. An empty Observed or Limit reads as
// the bare value, or as nothing when the reason has no such value.
type Message struct {
	Text     string
	Observed string
	Limit    string
}

var messages sync.Map // MessageKey → Message

// DefineMessage records the English wording of key and returns key. Packages call it when they
// initialise, once per key; defining a key again with other wording panics, since two rules
// would then share one key.
func DefineMessage(key MessageKey, english Message) MessageKey {
	if old, loaded := messages.LoadOrStore(key, english); loaded && old.(Message) != english {
		panic("affrules: message key " + string(key) + " defined twice with different wording")
	}
	return key
}

func lookupMessage(key MessageKey) (Message, bool) {
	m, ok := messages.Load(key)
	if !ok {
		return Message{}, false
	}
	return m.(Message), true
}

// Catalog renders reasons in a host's own language: one template per message key, in which
// {observed}, {limit} and {subject} stand for the reason's values and subject. No translations
// ship with the library; a host supplies the keys it shows.
type Catalog struct {
	// Messages holds a template per key. A reason whose key is missing is rendered in English.
	Messages map[MessageKey]string
	// Format renders a value, for example a date or a percentage in local style; nil renders
	// with [Value.String].
	Format func(Value) string
	// Subject renders a reason's subject (a category, a market, an ID) given the reason's key,
	// for example a category's name in the host's language; nil writes the subject as it is.
	Subject func(key MessageKey, subject string) string
}

// Reason renders r with its key's template, or in English ([Reason.String]) when the catalog has
// no template for the key.
func (c Catalog) Reason(r Reason) string {
	tmpl, ok := c.Messages[r.Key]
	if !ok {
		return r.String()
	}
	if c.Subject != nil {
		r.Subject = c.Subject(r.Key, r.Subject)
	}
	return r.expand(tmpl, c.Format)
}

// strayBraces returns the text at each brace of tmpl that starts no placeholder, other than a
// brace followed by another (as in "{{observed}}", a value in braces): at most maxStray of them.
func strayBraces(tmpl string) []string {
	var out []string
	for i := 0; i < len(tmpl) && len(out) < maxStray; i++ {
		if tmpl[i] != '{' {
			continue
		}
		rest := tmpl[i:]
		switch {
		case strings.HasPrefix(rest, "{observed}"), strings.HasPrefix(rest, "{limit}"), strings.HasPrefix(rest, "{subject}"),
			strings.HasPrefix(rest, "{{"):
			continue
		}
		end := strings.IndexByte(rest, '}')
		if end < 0 || end > 24 {
			end = min(len(rest), 12) - 1
		}
		out = append(out, rest[:end+1])
		i += end
	}
	return out
}

// maxStray is how many stray braces of one template Check reports.
const maxStray = 10

// Check reports every problem of the catalog at once, as [*FieldError] values joined, or nil: a
// template for a key that no package imported by the program defines (a typo, whose reasons would
// silently read in English, or the key of a package the program does not use), and each brace (up
// to ten a template) that starts none of {observed}, {limit} and {subject}, which would be written
// as it is ({Observed}, { observed }, a brace left open: placeholders are lower case, and a
// template holds no other text in braces; "{{" writes a brace before a placeholder, as in
// "{{observed}}"). A host checks its catalog once, when it loads it.
func (c Catalog) Check() error {
	keys := make([]MessageKey, 0, len(c.Messages))
	for k := range c.Messages {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var errs []error
	for _, k := range keys {
		field := "catalog.messages[" + string(k) + "]"
		if _, ok := lookupMessage(k); !ok {
			errs = append(errs, fieldErrorf(field, strconv.Quote(string(k)), "is not a message key of any package imported by this program"))
		}
		for _, p := range strayBraces(c.Messages[k]) {
			errs = append(errs, fieldErrorf(field, strconv.Quote(p), "is not a placeholder: use {observed}, {limit} or {subject}"))
		}
	}
	return errors.Join(errs...)
}

// Decision renders each reason of d, in order, with [Catalog.Reason].
func (c Catalog) Decision(d Decision) []string {
	out := make([]string, len(d.Reasons))
	for i, r := range d.Reasons {
		out[i] = c.Reason(r)
	}
	return out
}
