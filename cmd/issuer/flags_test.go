package main

import "testing"

// TestFlagsOverEnvironment: flags win over ISSUER_*, which win over the file.
func TestFlagsOverEnvironment(t *testing.T) {
	env := map[string]string{"ISSUER_LISTEN": "127.0.0.1:1", "ISSUER_PUBLIC_URL": "https://env.example", "ISSUER_REDIS_URL": "redis://env", "ISSUER_API_KEY": "k"}
	o, err := parseFlags([]string{"--listen", "127.0.0.1:2"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if o.Listen != "127.0.0.1:2" || o.PublicURL != "https://env.example" || o.RedisURL != "redis://env" || o.APIKey != "k" || o.ConfigPath != "issuer.yaml" {
		t.Fatalf("%+v", o)
	}
	if _, err := parseFlags([]string{"--api-key", "x"}, func(string) string { return "" }); err == nil {
		t.Fatal("an API key flag (visible in process lists) was accepted")
	}
}
