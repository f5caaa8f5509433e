package config

import (
	"strings"
	"testing"
	"time"
)

const oneDefinition = `
presentation_definitions:
  - id: a
    input_descriptors:
      - id: d
        constraints:
          fields:
            - path: ["$.type"]
`

func TestWebConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		wantErr string
		check   func(t *testing.T, c *Config)
	}{
		{name: "defaults", check: func(t *testing.T, c *Config) {
			if c.Web.Demo || c.Web.EventHeartbeat.Std() != 15*time.Second || len(c.Web.AllowedOrigins) != 0 {
				t.Errorf("defaults %+v", c.Web)
			}
		}},
		{name: "set", yaml: "web:\n  demo: true\n  event_heartbeat: 5s\n  allowed_origins: [https://shop.example, http://localhost:3000]\n", check: func(t *testing.T, c *Config) {
			if !c.Web.Demo || c.Web.EventHeartbeat.Std() != 5*time.Second || len(c.Web.AllowedOrigins) != 2 {
				t.Errorf("%+v", c.Web)
			}
		}},
		{name: "heartbeat too short", yaml: "web:\n  event_heartbeat: 10ms\n", wantErr: "web.event_heartbeat"},
		{name: "origin with a path", yaml: "web:\n  allowed_origins: [https://shop.example/login]\n", wantErr: "web.allowed_origins"},
		{name: "origin wildcard", yaml: "web:\n  allowed_origins: ['*']\n", wantErr: "web.allowed_origins"},
		{name: "unknown key", yaml: "web:\n  demos: true\n", wantErr: "demos"},
		{name: "same-device direct_post", yaml: "oid4vp:\n  same_device_response_mode: direct_post\n", check: func(t *testing.T, c *Config) {
			if c.OID4VP.SameDeviceResponseMode != "direct_post" {
				t.Errorf("%q", c.OID4VP.SameDeviceResponseMode)
			}
		}},
		{name: "same-device post", yaml: "oid4vp:\n  same_device_response_mode: post\n", wantErr: "same_device_response_mode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.yaml + oneDefinition))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}
