package webhook

import (
	"math/rand/v2"
	"time"
)

// Defaults of Backoff.
const (
	DefaultInitialInterval = 10 * time.Second
	DefaultMaxInterval     = time.Hour
	DefaultHorizon         = 24 * time.Hour
)

// Backoff is the retry schedule: the wait after the n-th failed attempt
// is Initial·2ⁿ⁻¹, at most Max, with jitter (half of it fixed, half
// random, so that receivers coming back are not hit by every retry at
// once); no attempt starts later than Horizon after the event.
type Backoff struct {
	Initial, Max, Horizon time.Duration
	// Rand returns a number in [0, 1); nil: math/rand/v2. Tests make it
	// constant.
	Rand func() float64
}

func (b Backoff) withDefaults() Backoff {
	if b.Initial <= 0 {
		b.Initial = DefaultInitialInterval
	}
	if b.Max <= 0 {
		b.Max = DefaultMaxInterval
	}
	b.Max = max(b.Max, b.Initial)
	if b.Horizon <= 0 {
		b.Horizon = DefaultHorizon
	}
	if b.Rand == nil {
		b.Rand = rand.Float64 // jitter, not a secret
	}
	return b
}

// Delay is the wait after failed attempt n (1 is the first attempt).
func (b Backoff) Delay(n int) time.Duration {
	d := b.Initial
	for i := 1; i < n && d < b.Max; i++ {
		d *= 2
	}
	d = min(d, b.Max)
	return d/2 + time.Duration(b.Rand()*float64(d/2))
}
