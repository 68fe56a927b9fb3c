package invitation

import "math"

// logChunkLen is the number of records in one block of a shard's history log.
const logChunkLen = 256

// record is one invitation in a shard's history log: 96 bytes, linked to the account's previous
// record by its log position. The strings are the caller's (the ledger does not copy them); the
// market, purpose and contacts are in the account's shared [sent].
type record struct {
	prev       int64 // log position of the account's record numbered one less; 0 if none
	at         int64 // Unix ns
	interested int64 // when the creator answered (Unix ns); notAnswered if not yet
	creatorID  string
	username   string
	nickname   string
	message    string
	sent       *sent
}

// notAnswered is record.interested before the creator answers; answers are at instants within
// the years 1900–2199 ([checkInstant]), never at it.
const notAnswered = math.MinInt64

// logChunk is one block of a [histLog]: logChunkLen records (24 KiB) and their latest instant.
type logChunk struct {
	recs  [logChunkLen]record
	n     int
	maxAt int64 // latest instant among recs[:n]
}

// histLog is a shard's history: records in recording order, in blocks of logChunkLen, addressed
// by a position that is never reused. Block number c holds positions c×logChunkLen up to the
// next block; block 0 is never used, so that position 0 means none. The log is dropped from its
// oldest end a block at a time, once every record of the block is older than the retention.
type histLog struct {
	chunks []*logChunk // blocks base, base+1, ...
	base   int64
	spare  *logChunk // a dropped block, reused by the next append that needs one
}

// at returns the record at position pos, or nil if there is none (any more).
func (l *histLog) at(pos int64) *record {
	k := pos/logChunkLen - l.base
	if pos <= 0 || k < 0 || k >= int64(len(l.chunks)) {
		return nil
	}
	c := l.chunks[k]
	if j := pos % logChunkLen; j < int64(c.n) {
		return &c.recs[j]
	}
	return nil
}

// touch reads the lines the next add writes, if the last block has room, and returns a value
// of them for the caller to keep (so that the reads are not optimised away). A reservation calls
// it first thing, so that the cache miss on the log's tail (a block recycled long ago) overlaps
// the account's lookup and the miss on its last-invitation table, instead of coming after them.
func (l *histLog) touch() uint32 {
	if n := len(l.chunks); n > 0 {
		if c := l.chunks[n-1]; c.n < logChunkLen {
			r := &c.recs[c.n]
			return uint32(r.prev) ^ uint32(len(r.message))
		}
	}
	return 0
}

// add appends r and returns its position.
func (l *histLog) add(r record) int64 {
	if l.base == 0 {
		l.base = 1
	}
	if len(l.chunks) == 0 || l.chunks[len(l.chunks)-1].n == logChunkLen {
		c := l.spare
		if c == nil {
			c = new(logChunk)
		}
		l.spare = nil
		c.maxAt = r.at
		l.chunks = append(l.chunks, c)
	}
	k := len(l.chunks) - 1
	c := l.chunks[k]
	c.recs[c.n] = r
	c.maxAt = max(c.maxAt, r.at)
	c.n++
	return (l.base+int64(k))*logChunkLen + int64(c.n-1)
}

// drop removes the oldest blocks whose every record is at or before cut. The last block removed
// is kept for reuse without clearing it (appends overwrite its records), so a shard holds on to
// the strings of at most one dropped block.
func (l *histLog) drop(cut int64) {
	for len(l.chunks) > 0 && l.chunks[0].maxAt <= cut {
		c := l.chunks[0]
		c.n = 0
		l.spare = c
		l.chunks[0] = nil
		l.chunks = l.chunks[1:]
		l.base++
	}
}
