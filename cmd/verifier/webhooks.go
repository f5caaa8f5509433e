package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/internal/safehttp"
	"github.com/loginwithiota/verifier/metrics"
	"github.com/loginwithiota/verifier/session"
	sessionredis "github.com/loginwithiota/verifier/session/redis"
	"github.com/loginwithiota/verifier/verifier"
	"github.com/loginwithiota/verifier/web"
	"github.com/loginwithiota/verifier/webhook"
	webhookmemory "github.com/loginwithiota/verifier/webhook/memory"
	webhookredis "github.com/loginwithiota/verifier/webhook/redis"
)

// webhooks is the webhook side of the program (docs/webhooks.md): the
// targets, the outbox the verifier writes events to, the dispatcher that
// delivers them and the log of deliveries. A nil *webhooks is "off".
type webhooks struct {
	targets     *webhook.Targets
	outbox      session.Outbox
	log         webhook.Log
	dispatcher  *webhook.Dispatcher
	operatorKey string
	expiry      time.Duration
	wg          sync.WaitGroup
}

// outboxStore gives the Redis store its outbox when webhooks are on:
// Create then lists pending sessions for their expiry, so every instance
// on a prefix must agree (docs/webhooks.md). The memory store has one
// anyway.
func (p *Program) outboxStore(store session.Store) session.Store {
	if !p.cfg.Webhooks.Enabled() || p.redisStore == nil {
		return store
	}
	return sessionredis.NewOutbox(p.redisStore, sessionredis.OutboxOptions{Resync: p.cfg.Webhooks.ResyncInterval.Std()})
}

// openWebhooks builds the webhook side on the (instrumented) store.
func (p *Program) openWebhooks(store session.Store, configPath string) (*webhooks, error) {
	c := p.cfg.Webhooks
	if !c.Enabled() {
		return nil, nil
	}
	outbox, ok := metrics.Unwrap(store).(session.Outbox)
	if !ok {
		return nil, fmt.Errorf("webhooks: the %s session store keeps no outbox", p.StoreName)
	}
	targets, err := webhookTargets(c)
	if err != nil {
		return nil, err
	}
	key, err := operatorKey(c, filepath.Dir(configPath))
	if err != nil {
		return nil, err
	}
	w := &webhooks{targets: targets, outbox: outbox, operatorKey: key, expiry: c.ExpiryInterval.Std()}
	if p.redis != nil {
		w.log = webhookredis.New(p.redis, p.cfg.Redis.KeyPrefix, c.LogRetention.Std())
	} else {
		w.log = webhookmemory.New(c.LogRetention.Std(), nil)
	}
	var observer webhook.Observer
	if p.ops.metrics != nil {
		observer = p.ops.metrics.WebhookAttempts()
	}
	w.dispatcher, err = webhook.New(webhook.Options{
		Queue: outbox, Log: w.log, Targets: targets, Workers: c.Workers, Lease: c.Lease.Std(), Poll: c.PollInterval.Std(),
		Client: safehttp.New(safehttp.Options{Timeout: c.Timeout.Std(), AllowHTTP: c.AllowHTTP,
			AllowPrivateAddresses: c.AllowPrivateAddresses, UserAgent: "loginwithiota-verifier/" + p.Version}),
		Backoff:  webhook.Backoff{Initial: c.Retry.InitialInterval.Std(), Max: c.Retry.MaxInterval.Std(), Horizon: c.Retry.Horizon.Std()},
		Instance: instanceName(), Logger: p.Log, Observer: observer,
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// webhookTargets turns the section into targets (the config is valid).
func webhookTargets(c config.Webhooks) (*webhook.Targets, error) {
	parse := func(texts []string) ([]webhook.Secret, error) {
		var out []webhook.Secret
		for _, t := range texts {
			s, err := webhook.ParseSecret(t)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	}
	t := &webhook.Targets{AllowHTTP: c.AllowHTTP, AllowPrivateAddresses: c.AllowPrivateAddresses}
	for i, e := range c.Endpoints {
		secrets, err := parse(e.Secrets)
		if err != nil {
			return nil, fmt.Errorf("webhooks.endpoints[%d].secrets: %w", i, err)
		}
		t.Endpoints = append(t.Endpoints, webhook.Endpoint{URL: e.URL, Secrets: secrets, Definitions: e.Definitions, IncludeResult: e.Includes()})
	}
	secrets, err := parse(c.Secrets)
	if err != nil {
		return nil, fmt.Errorf("webhooks.secrets: %w", err)
	}
	t.Sessions = webhook.SessionTargets{AllowedHosts: c.AllowedHosts, Secrets: secrets, IncludeResult: c.SessionIncludesResult()}
	return t, nil
}

// operatorKey is webhooks.operator_key, or the content of its file.
func operatorKey(c config.Webhooks, dir string) (string, error) {
	if c.OperatorKeyFile == "" {
		return c.OperatorKey, nil
	}
	path := c.OperatorKeyFile
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("webhooks.operator_key_file: %w", err)
	}
	key := strings.TrimSpace(string(raw))
	if len(key) < 32 {
		return "", errors.New("webhooks.operator_key_file: the key must be at least 32 bytes")
	}
	return key, nil
}

// instanceName names this instance in the delivery log: the host and a
// random suffix (two instances may share a host).
func instanceName() string {
	host, _ := os.Hostname()
	return host + "/" + rand.Text()[:6]
}

// events are the verifier's event options (none when off).
func (w *webhooks) events() verifier.EventOptions {
	if w == nil {
		return verifier.EventOptions{}
	}
	return verifier.EventOptions{
		Targets: func(s session.Session) []verifier.EventTarget {
			var out []verifier.EventTarget
			for _, d := range w.targets.For(s) {
				out = append(out, verifier.EventTarget{URL: d.URL, IncludeResult: d.IncludeResult})
			}
			return out
		},
		CheckWebhookURL: w.targets.CheckSessionURL,
	}
}

// store is what the verifier writes to: store, with the outbox that the
// metrics wrapper hides, and a wake-up of the dispatcher after each
// completion so that its events leave at once.
func (w *webhooks) store(store session.Store) session.Store {
	if w == nil {
		return store
	}
	n, ok := store.(notifyingStore)
	if !ok {
		return store // both backends notify; without it, no wake-ups either
	}
	return &eventedStore{notifyingStore: n, outbox: w.outbox, wake: w.dispatcher.Wake}
}

type notifyingStore interface {
	session.Store
	session.Notifier
}

// eventedStore is a Store and Notifier with the outbox of another handle
// on the same store.
type eventedStore struct {
	notifyingStore
	outbox session.Outbox
	wake   func()
}

var _ session.Outbox = (*eventedStore)(nil)

func (s *eventedStore) UpdateEmit(ctx context.Context, id string, fn func(session.Session) (session.Session, []session.Event, error)) (session.Session, error) {
	out, err := s.outbox.UpdateEmit(ctx, id, fn)
	if err == nil {
		s.wake()
	}
	return out, err
}

func (s *eventedStore) Claim(ctx context.Context, n int, lease time.Duration) ([]session.Event, error) {
	return s.outbox.Claim(ctx, n, lease)
}

func (s *eventedStore) Defer(ctx context.Context, id string, at time.Time) error {
	return s.outbox.Defer(ctx, id, at)
}

func (s *eventedStore) Ack(ctx context.Context, ids ...string) error {
	return s.outbox.Ack(ctx, ids...)
}

func (s *eventedStore) DueExpiries(ctx context.Context, before time.Time, n int) ([]string, error) {
	return s.outbox.DueExpiries(ctx, before, n)
}

// deliveries is the log the operator routes serve (nil when off).
func (w *webhooks) deliveries() web.DeliveryLog {
	if w == nil {
		return nil
	}
	return w.log
}

func (w *webhooks) key() string {
	if w == nil {
		return ""
	}
	return w.operatorKey
}

// start runs the dispatcher and the expiry sweep until ctx ends.
func (w *webhooks) start(ctx context.Context, v *verifier.Verifier) {
	if w == nil {
		return
	}
	w.wg.Add(2)
	go func() { defer w.wg.Done(); w.dispatcher.Run(ctx) }()
	go func() { defer w.wg.Done(); v.RunExpiry(ctx, w.expiry) }()
}

// wait returns once both have stopped (their context ended): deliveries
// in flight are handed back to the outbox before the store closes.
func (w *webhooks) wait() {
	if w != nil {
		w.wg.Wait()
	}
}
