package collabplus

// Seed stores record s as it is, without [Seller.Validate]: for benchmarks and tests that build a
// seller's history by hand, which [Memory.Create] refuses (only a record as
// [Evaluator.NewSeller] makes it is created).
func (m *Memory) Seed(s Seller) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sellers == nil {
		m.sellers = map[string]Seller{}
	}
	m.sellers[s.ID] = s.clone()
}
