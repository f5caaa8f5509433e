package verifier

import (
	"runtime"
	"time"
)

// Limits bound the work any one wallet answer can cause (Config.Limits).
// Counts are checked on the decoded answer before any proof is verified;
// the pool and the deadline bound what verification may take. Zero
// fields take the defaults below.
type Limits struct {
	// MaxPresentations bounds the presentations of one vp_token (default 8).
	MaxPresentations int
	// MaxCredentials bounds the credentials of one vp_token, over all its
	// presentations (default 16).
	MaxCredentials int
	// MaxProofs bounds the proofs of one document, presentation or
	// credential (default 4): each costs a signature check.
	MaxProofs int
	// Workers is how many answers are verified at once (default
	// 2 × GOMAXPROCS, at least 4): verification is CPU work, with DID and
	// status fetches in between.
	Workers int
	// Queue is how many answers may wait for a worker (default 2 × Workers);
	// one more is answered 503 with Retry-After and its session stays
	// pending.
	Queue int
	// Timeout bounds the verification of one answer (default 10s); past it
	// the session fails with verification_timeout.
	Timeout time.Duration
}

// Defaults of Limits.
const (
	DefaultMaxPresentations = 8
	DefaultMaxCredentials   = 16
	DefaultMaxProofs        = 4
	DefaultVerifyTimeout    = 10 * time.Second
)

func (l Limits) withDefaults() Limits {
	if l.MaxPresentations <= 0 {
		l.MaxPresentations = DefaultMaxPresentations
	}
	if l.MaxCredentials <= 0 {
		l.MaxCredentials = DefaultMaxCredentials
	}
	if l.MaxProofs <= 0 {
		l.MaxProofs = DefaultMaxProofs
	}
	if l.Workers <= 0 {
		l.Workers = max(4, 2*runtime.GOMAXPROCS(0))
	}
	if l.Queue <= 0 {
		l.Queue = 2 * l.Workers
	}
	if l.Timeout <= 0 {
		l.Timeout = DefaultVerifyTimeout
	}
	return l
}
