package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"time"

	"github.com/loginwithiota/verifier/audit"
	"github.com/loginwithiota/verifier/config"
	"github.com/loginwithiota/verifier/metrics"
	"github.com/loginwithiota/verifier/verifier"
)

// ops are the operator's instruments: metrics on their own listener and
// the audit log. Either may be off.
type ops struct {
	metrics   *metrics.Metrics // nil: metrics.listen unset
	metricsLn net.Listener
	metricsSv *http.Server
	audit     *audit.Log
	auditSink io.Closer // the audit file, when the sink is one
}

// openOps builds the metrics registry and listener and the audit log of
// cfg; close releases them.
func openOps(cfg *config.Config, info buildInfo, log *slog.Logger) (*ops, error) {
	o := &ops{}
	if cfg.Metrics.Listen != "" {
		o.metrics = metrics.New(metrics.BuildInfo{Version: info.short(), Revision: info.Revision, GoVersion: info.GoVersion})
		ln, err := net.Listen("tcp", cfg.Metrics.Listen)
		if err != nil {
			return nil, fmt.Errorf("metrics.listen %s: %w", cfg.Metrics.Listen, err)
		}
		o.metricsLn = ln
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", o.metrics.Handler())
		o.metricsSv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
			WriteTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 16 << 10,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		go func() { _ = o.metricsSv.Serve(ln) }()
	}
	switch sink := cfg.Audit.Sink; sink {
	case "":
	case "stderr", "stdout":
		w := io.Writer(os.Stderr)
		if sink == "stdout" {
			w = os.Stdout
		}
		o.audit = audit.New(w, audit.Options{IncludeHolder: cfg.Audit.IncludeHolder, Logger: log})
	default:
		f, err := os.OpenFile(sink, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			o.close()
			return nil, fmt.Errorf("audit.sink: %w", err)
		}
		o.auditSink = f
		o.audit = audit.New(f, audit.Options{IncludeHolder: cfg.Audit.IncludeHolder, Logger: log})
	}
	return o, nil
}

// observer is the verifier's: metrics and audit, whichever are on.
func (o *ops) observer() verifier.Observer {
	var list []verifier.Observer
	if o.metrics != nil {
		list = append(list, o.metrics)
	}
	if o.audit != nil {
		list = append(list, o.audit)
	}
	switch len(list) {
	case 0:
		return nil
	case 1:
		return list[0]
	}
	return verifier.Observers(list...)
}

// metricsAddr is where /metrics is served ("" when off).
func (o *ops) metricsAddr() string {
	if o == nil || o.metricsLn == nil {
		return ""
	}
	return o.metricsLn.Addr().String()
}

func (o *ops) close() error {
	if o == nil {
		return nil
	}
	var errs []error
	if o.metricsSv != nil {
		errs = append(errs, o.metricsSv.Close())
	} else if o.metricsLn != nil {
		errs = append(errs, o.metricsLn.Close())
	}
	if o.auditSink != nil {
		errs = append(errs, o.auditSink.Close())
	}
	return errors.Join(errs...)
}

// trustedProxies parses http.trusted_proxies (validated by config).
func trustedProxies(list []string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		if p, err := config.ParsePrefix(s); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// warnPublicURL warns when the URL handed to wallets cannot work for
// them: no public URL while listening on all interfaces (the default
// would advertise http://[::]:8080), or a loopback or unspecified one
// while listening on all interfaces (other devices cannot reach it).
// It warns rather than refuses: a single-machine trial with the browser
// and wallet on the same host is a real use.
func warnPublicURL(log *slog.Logger, listenAddr net.Addr, configured, advertised string) {
	tcp, ok := listenAddr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return
	}
	if configured == "" {
		log.Warn("no public URL is set while listening on all interfaces: wallets and browsers are handed "+
			advertised+", which they cannot reach; set --public-url, VERIFIER_PUBLIC_URL or public_url", "public_url", advertised)
		return
	}
	if host := hostOf(advertised); host != "" {
		if host == "localhost" {
			host = "127.0.0.1"
		}
		if ip, err := netip.ParseAddr(host); err == nil && (ip.IsLoopback() || ip.IsUnspecified()) {
			log.Warn("the public URL is a loopback or unspecified address while listening on all interfaces: "+
				"wallets on other devices cannot reach it", "public_url", advertised)
		}
	}
}
