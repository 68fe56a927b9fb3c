package enum

import "testing"

type color uint8

func TestNames(t *testing.T) {
	n := Names[color]{"red", "green"}
	if n.String("color", 1) != "green" || n.String("color", 7) != "color(7)" {
		t.Error("String")
	}
	if b, ok := n.Text(0); !ok || string(b) != "red" {
		t.Error("Text")
	}
	if _, ok := n.Text(2); ok {
		t.Error("Text of an unknown value")
	}
	if v, ok := n.Parse([]byte("green")); !ok || v != 1 {
		t.Error("Parse")
	}
	if _, ok := n.Parse([]byte("Green")); ok {
		t.Error("Parse is case-sensitive")
	}
	if n.List() != "red, green" {
		t.Error("List")
	}
}
