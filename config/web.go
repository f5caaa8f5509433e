package config

import (
	"fmt"
	"net/url"
	"time"
)

// Web is the browser side: the demo page, the live event stream, and which
// other origins may call the website API from a browser.
type Web struct {
	// Demo serves a demo relying party at / (the page a new user sees after
	// the README's run command). Off unless set; turn it off in production.
	Demo bool `yaml:"demo"`
	// EventHeartbeat is how often an idle event stream
	// (/api/v1/sessions/{id}/events) sends a comment line, so proxies keep
	// it open and a lost notification is made up for by a re-read.
	EventHeartbeat Duration `yaml:"event_heartbeat"`
	// AllowedOrigins lists the website origins (https://shop.example) whose
	// pages may call the website API with the browser's cookie (CORS).
	// Empty: same origin only.
	AllowedOrigins []string `yaml:"allowed_origins"`
}

func (w *Web) applyDefaults() {
	if w.EventHeartbeat == 0 {
		w.EventHeartbeat = Duration(15 * time.Second)
	}
}

func (w *Web) validate() error {
	if w.EventHeartbeat.Std() < 100*time.Millisecond {
		return fmt.Errorf("web.event_heartbeat: must be at least 100ms")
	}
	for _, o := range w.AllowedOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return fmt.Errorf("web.allowed_origins: want origins like https://shop.example, got %q", o)
		}
	}
	return nil
}
