package invitation

// slot is one entry of a [table]: a creator key and the instant of the last invitation to it.
// 16 bytes, no pointers, so a table is never scanned by the garbage collector.
type slot struct {
	key uint64 // creatorKey, never 0; 0 marks an empty slot
	at  int64  // Unix ns
}

// minTable is the smallest size of a [table]: three entries, 64 bytes, for the many accounts
// that invite a few creators.
const minTable = 4

// table is an account's last-invitation table: an open-addressing hash table (linear probing,
// power-of-two size) from creator key to last-invitation instant, a slice of 16-byte [slot]s. An
// entry at or before the cut (the account's latest instant minus the longest window it has been
// given) is stale: lookups ignore it and an insert may take its slot. A rebuild, when three
// quarters of the slots are used, drops the stale entries and resizes the table to between two
// and eight slots a live entry (at least minTable), so an entry costs 32 to 128 bytes, about 45
// at the usual load.
type table struct {
	slots []slot
	used  int // non-empty slots, stale or not
}

// find returns key's instant if it has a live entry, and the slot where an insert of key goes.
// The table must have an empty slot.
func (t *table) find(key uint64, cut int64) (i int, at int64, ok bool) {
	mask := len(t.slots) - 1
	free := -1
	for i = int(key) & mask; ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch {
		case s.key == key:
			return i, s.at, s.at > cut
		case s.key == 0:
			if free < 0 {
				free = i
			}
			return free, 0, false
		case free < 0 && s.at <= cut:
			free = i
		}
	}
}

// set stores key's instant at in slot i, as returned by find.
func (t *table) set(i int, key uint64, at int64) {
	if t.slots[i].key == 0 {
		t.used++
	}
	t.slots[i] = slot{key, at}
}

// reserve makes room for one insert, rebuilding the table without its stale entries when three
// quarters of it is used. scratch is a buffer the rebuild may reuse.
func (t *table) reserve(cut int64, scratch *[]slot) {
	if t.used < len(t.slots)*3/4 {
		return
	}
	live := (*scratch)[:0]
	for _, s := range t.slots {
		if s.key != 0 && s.at > cut {
			live = append(live, s)
		}
	}
	size := len(t.slots)
	if size < minTable || 2*len(live) > size || 8*len(live) < size {
		size = minTable
		for size < 2*len(live) {
			size *= 2
		}
	}
	if size == len(t.slots) {
		clear(t.slots)
	} else {
		t.slots = make([]slot, size)
	}
	mask := size - 1
	for _, s := range live {
		i := int(s.key) & mask
		for t.slots[i].key != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
	t.used = len(live)
	*scratch = live[:0]
}

// live returns the number of entries after cut.
func (t *table) live(cut int64) int {
	n := 0
	for _, s := range t.slots {
		if s.key != 0 && s.at > cut {
			n++
		}
	}
	return n
}
