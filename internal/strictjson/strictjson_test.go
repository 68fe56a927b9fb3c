package strictjson_test

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/affrules/affrules/internal/strictjson"
)

func TestDecode(t *testing.T) {
	var v struct {
		A int `json:"a"`
	}
	require.NoError(t, strictjson.Decode([]byte(` {"a": 1} `), &v))
	assert.Equal(t, 1, v.A)
	assert.ErrorIs(t, strictjson.Decode([]byte(`{"a": 1} {}`), &v), strictjson.ErrTrailing)
	assert.ErrorIs(t, strictjson.Decode([]byte(`{"a": 1}]`), &v), strictjson.ErrTrailing)
	assert.ErrorContains(t, strictjson.Decode([]byte(`{"b": 1}`), &v), `unknown field "b"`)
	assert.Error(t, strictjson.Decode([]byte(`{"a": `), &v))
}

func TestMembers(t *testing.T) {
	var keys []string
	var vals []string
	for k, v := range strictjson.Members([]byte(`{"a": 1, "A": [2, 3], "a": {"x": null}}`)) {
		keys = append(keys, k)
		vals = append(vals, string(v))
	}
	assert.Equal(t, []string{"a", "A", "a"}, keys, "duplicates and case are kept as written")
	assert.Equal(t, []string{"1", "[2, 3]", `{"x": null}`}, vals)
	assert.Empty(t, slices.Collect(maps.Keys(maps.Collect(strictjson.Members([]byte(`[1]`))))))
	assert.Empty(t, maps.Collect(strictjson.Members([]byte(`null`))))
	n := 0
	for range strictjson.Members([]byte(`{"a": 1, "b": 2}`)) {
		n++
		break
	}
	assert.Equal(t, 1, n)
}

func TestElements(t *testing.T) {
	got := slices.Collect(strictjson.Elements([]byte(`[1, {"a": 2}, "x"]`)))
	assert.Equal(t, []json.RawMessage{json.RawMessage("1"), json.RawMessage(`{"a": 2}`), json.RawMessage(`"x"`)}, got)
	assert.Empty(t, slices.Collect(strictjson.Elements([]byte(`{"a": 1}`))))
}
