package webhook

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/session"
)

// Queue is the part of the session store's outbox a Dispatcher uses.
type Queue interface {
	Claim(ctx context.Context, n int, lease time.Duration) ([]session.Event, error)
	Defer(ctx context.Context, id string, at time.Time) error
	Ack(ctx context.Context, ids ...string) error
}

// Poster sends one delivery (internal/safehttp's Client: the address
// check at dial time, no redirects, a time bound).
type Poster interface {
	Post(ctx context.Context, url string, header http.Header, body []byte) (int, error)
}

// Observer is told of each attempt's outcome: "delivered", "retrying" or
// "failed" (metrics); nil: nobody.
type Observer interface {
	WebhookAttempt(outcome string)
}

// Defaults of Options.
const (
	DefaultWorkers = 4
	DefaultLease   = time.Minute
	DefaultPoll    = time.Second
)

// Options configure a Dispatcher.
type Options struct {
	Queue   Queue
	Log     Log
	Targets *Targets
	Client  Poster
	// Workers bounds the deliveries in flight (default DefaultWorkers).
	Workers int
	// Lease is how long a claimed event is this instance's: longer than
	// an attempt may take (the client's timeout), or another instance
	// would send it too (default DefaultLease).
	Lease time.Duration
	// Poll is how often the outbox is asked for due events, besides
	// Wake (default DefaultPoll).
	Poll    time.Duration
	Backoff Backoff
	// Instance names this instance in the delivery log.
	Instance string
	Now      func() time.Time
	Logger   *slog.Logger
	Observer Observer
}

// Dispatcher delivers the outbox's events. Run it once per instance.
type Dispatcher struct {
	o    Options
	wake chan struct{}
}

// New checks o and returns a Dispatcher.
func New(o Options) (*Dispatcher, error) {
	if o.Queue == nil || o.Log == nil || o.Targets == nil || o.Client == nil {
		return nil, errors.New("webhook: a queue, a log, targets and a client are required")
	}
	if o.Workers <= 0 {
		o.Workers = DefaultWorkers
	}
	if o.Lease <= 0 {
		o.Lease = DefaultLease
	}
	if o.Poll <= 0 {
		o.Poll = DefaultPoll
	}
	o.Backoff = o.Backoff.withDefaults()
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Dispatcher{o: o, wake: make(chan struct{}, 1)}, nil
}

// Wake asks for a look at the outbox now (an event was just written).
func (d *Dispatcher) Wake() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done, then waits for the deliveries in
// flight: those that ctx interrupted are handed back to the outbox, due at
// once, for the next instance (or this one restarted).
func (d *Dispatcher) Run(ctx context.Context) {
	tick := time.NewTicker(d.o.Poll)
	defer tick.Stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, d.o.Workers)
	finished := make(chan struct{}, d.o.Workers)
	failing := false
	for {
		if free := cap(slots) - len(slots); free > 0 && ctx.Err() == nil {
			evs, err := d.o.Queue.Claim(ctx, free, d.o.Lease)
			switch {
			case err != nil && ctx.Err() == nil && !failing:
				d.o.Logger.WarnContext(ctx, "webhooks: cannot claim events", "err", err)
				failing = true
			case err == nil && failing:
				d.o.Logger.InfoContext(ctx, "webhooks: claiming events again")
				failing = false
			}
			for _, ev := range evs {
				slots <- struct{}{}
				wg.Add(1)
				go func() {
					defer wg.Done()
					d.deliver(ctx, ev)
					<-slots
					select {
					case finished <- struct{}{}:
					default:
					}
				}()
			}
			if len(evs) == free {
				continue // there may be more due
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-d.wake:
		case <-finished:
		}
	}
}
