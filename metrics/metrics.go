package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// BuildInfo labels verifier_build_info.
type BuildInfo struct {
	Version, Revision, GoVersion string
}

// Metrics holds the service's collectors on their own registry.
type Metrics struct {
	reg *prometheus.Registry

	sessionsCreated   *prometheus.CounterVec
	sessionsCompleted *prometheus.CounterVec
	failures          *prometheus.CounterVec
	sessionDuration   *prometheus.HistogramVec
	stages            *prometheus.HistogramVec
	didResolutions    *prometheus.CounterVec
	cacheLookups      *prometheus.CounterVec
	statusFetches     *prometheus.CounterVec
	storeSeconds      *prometheus.HistogramVec
	storeErrors       *prometheus.CounterVec
	streamsOpen       prometheus.Gauge
	refused           *prometheus.CounterVec
	httpRequests      *prometheus.CounterVec
	httpSeconds       *prometheus.HistogramVec
}

// Buckets of the latency histograms, in seconds: from a store round trip
// (sub-millisecond) to a slow DID or status list fetch (seconds).
var (
	fastBuckets = []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1}
	slowBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
)

// New registers every collector, the Go runtime's and the process's
// included, on a fresh registry.
func New(info BuildInfo) *Metrics {
	reg := prometheus.NewRegistry()
	f := factory{reg}
	m := &Metrics{
		reg: reg,
		sessionsCreated: f.counter("verifier_sessions_created_total",
			"Logins started, by presentation definition and flow.", "definition", "flow"),
		sessionsCompleted: f.counter("verifier_sessions_completed_total",
			"Logins completed, by presentation definition and outcome (verified, failed, declined).", "definition", "outcome"),
		failures: f.counter("verifier_session_failures_total",
			"Failed or declined logins by reason: the verifier's reason, or the wallet's error code (known codes, else other).", "definition", "reason"),
		sessionDuration: f.histogram("verifier_session_duration_seconds",
			"Time from a login's start to its completion, by outcome.", []float64{1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600}, "outcome"),
		stages: f.histogram("verifier_verification_stage_seconds",
			"Time spent per stage of one answer's verification: query (decode, prechecks, Presentation Exchange), proofs, status, did (one resolution).", slowBuckets, "stage"),
		didResolutions: f.counter("verifier_did_resolutions_total",
			"DID resolutions that reached a method's resolver (once per DID per answer), by method and result (ok, error).", "method", "result"),
		cacheLookups: f.counter("verifier_cache_lookups_total",
			"Lookups of the resolved-DID cache (did:web), by result (hit, miss).", "cache", "result"),
		statusFetches: f.counter("verifier_status_list_fetches_total",
			"Status list credentials fetched (status list cache misses), by result (ok, error).", "result"),
		storeSeconds: f.histogram("verifier_store_seconds",
			"Session store call latency, by operation.", fastBuckets, "op"),
		storeErrors: f.counter("verifier_store_errors_total",
			"Session store calls that failed (other than not found), by operation.", "op"),
		streamsOpen: f.gauge("verifier_event_streams_open", "Event streams (Server-Sent Events) open now."),
		refused: f.counter("verifier_limit_refusals_total",
			"Requests refused by an abuse limit: session_rate, streams_per_session, streams.", "limit"),
		httpRequests: f.counter("verifier_http_requests_total",
			"HTTP requests answered, by route, method and status code.", "route", "method", "code"),
		httpSeconds: f.histogram("verifier_http_request_seconds",
			"HTTP request latency by route (event streams: their whole life).", fastBuckets, "route"),
	}
	build := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "verifier_build_info",
		Help: "The running build: version, VCS revision, Go version (value 1)."}, []string{"version", "revision", "goversion"})
	reg.MustRegister(build, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	build.WithLabelValues(info.Version, info.Revision, info.GoVersion).Set(1)
	return m
}

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, MaxRequestsInFlight: 4})
}

// Registry is the registry, for tests and for more collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

type factory struct{ reg *prometheus.Registry }

func (f factory) counter(name, help string, labels ...string) *prometheus.CounterVec {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	f.reg.MustRegister(c)
	return c
}

func (f factory) histogram(name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels)
	f.reg.MustRegister(h)
	return h
}

func (f factory) gauge(name, help string) prometheus.Gauge {
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	f.reg.MustRegister(g)
	return g
}
