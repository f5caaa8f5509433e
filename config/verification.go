package config

import (
	"fmt"
	"time"
)

// Verification bounds the work any one wallet answer can cause: what a
// vp_token may hold, how many answers are verified at once, and how long
// one may take. Zero values take the verifier's defaults (README,
// "Verification model").
type Verification struct {
	// MaxPresentations per vp_token (default 8), MaxCredentials per
	// vp_token over all its presentations (default 16), MaxProofs per
	// document (default 4).
	MaxPresentations int `yaml:"max_presentations"`
	MaxCredentials   int `yaml:"max_credentials"`
	MaxProofs        int `yaml:"max_proofs"`
	// Workers verify at once (default 2 × CPUs, at least 4); Queue answers
	// may wait for one (default 2 × workers), one more is answered 503.
	Workers int `yaml:"workers"`
	Queue   int `yaml:"queue"`
	// Timeout bounds one answer's verification (default 10s).
	Timeout Duration `yaml:"timeout"`
}

func (v *Verification) applyDefaults() {
	if v.Timeout == 0 {
		v.Timeout = Duration(10 * time.Second)
	}
}

func (v *Verification) validate() error {
	for name, n := range map[string]int{"max_presentations": v.MaxPresentations, "max_credentials": v.MaxCredentials,
		"max_proofs": v.MaxProofs, "workers": v.Workers, "queue": v.Queue} {
		if n < 0 {
			return fmt.Errorf("verification.%s: must not be negative", name)
		}
	}
	if v.Timeout.Std() < 100*time.Millisecond {
		return fmt.Errorf("verification.timeout: must be at least 100ms")
	}
	return nil
}
