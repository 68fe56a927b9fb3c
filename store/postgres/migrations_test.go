package postgres

import "testing"

func TestMigrationsMatchSchemaVersion(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != SchemaVersion {
		t.Errorf("%d embedded migrations, SchemaVersion %d: raise SchemaVersion with each new migration", len(ms), SchemaVersion)
	}
}
