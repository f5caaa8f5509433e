package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Redis selects the Redis session store: a URL, or the sentinel or cluster
// keys. Without any of them the embedded store is used.
//
// URL forms (rediss… for TLS; user and password are the data nodes' ACL
// user, percent-encoded):
//
//	redis://[user:password@]host[:6379][/db]
//	redis+sentinel://[user:password@]host[:26379][,host[:26379]…]/master[/db]
//	redis+cluster://[user:password@]host[:6379][,host[:6379]…]
//
// The keys say the same: sentinel.master and sentinel.addrs, or
// cluster.addrs, with username, password and tls beside them.
type Redis struct {
	URL       string `yaml:"url"`
	KeyPrefix string `yaml:"key_prefix"`

	// Username and Password authenticate to the data nodes (Redis ACL);
	// a URL's user and password win over them.
	Username string `yaml:"username"`
	Password string `yaml:"password"`

	Sentinel RedisSentinel `yaml:"sentinel"`
	Cluster  RedisCluster  `yaml:"cluster"`
	TLS      RedisTLS      `yaml:"tls"`

	// Timeout bounds each dial, read and write (default 2s).
	Timeout Duration `yaml:"timeout"`
	// WaitReplicas > 0: every write waits until that many replicas have it
	// (WAIT), so a failover loses no login the wallet was told about.
	// WaitTimeout bounds the wait (default 1s).
	WaitReplicas int      `yaml:"wait_replicas"`
	WaitTimeout  Duration `yaml:"wait_timeout"`
}

// RedisSentinel names a master watched by Sentinel.
type RedisSentinel struct {
	Master string   `yaml:"master"`
	Addrs  []string `yaml:"addrs"`
	// Username and Password authenticate to the sentinels themselves.
	Username string `yaml:"username"`
	Password string `yaml:"password"`
}

// RedisCluster lists seed nodes of a Redis Cluster (any few of them).
type RedisCluster struct {
	Addrs []string `yaml:"addrs"`
}

// RedisTLS turns on TLS (as rediss:// does) and says whom to trust.
type RedisTLS struct {
	Enabled bool `yaml:"enabled"`
	// CAFile holds PEM certificates trusted beside the system's.
	CAFile string `yaml:"ca_file"`
	// ServerName overrides the name checked in the server's certificate.
	ServerName string `yaml:"server_name"`
}

// Redis topologies.
const (
	RedisStandalone   = "standalone"
	RedisSentinelMode = "sentinel"
	RedisClusterMode  = "cluster"
)

// RedisTarget is where the store connects, resolved from the URL or keys.
type RedisTarget struct {
	Mode       string // RedisStandalone, RedisSentinelMode or RedisClusterMode
	Addrs      []string
	MasterName string
	DB         int
	Username   string
	Password   string

	SentinelUsername, SentinelPassword string

	TLS        bool
	CAFile     string
	ServerName string
}

// Enabled reports whether a Redis store is configured.
func (r Redis) Enabled() bool {
	return r.URL != "" || r.Sentinel.Master != "" || len(r.Sentinel.Addrs) > 0 || len(r.Cluster.Addrs) > 0
}

func (r *Redis) applyDefaults() {
	if r.KeyPrefix == "" {
		r.KeyPrefix = "liota:"
	}
	if r.Timeout == 0 {
		r.Timeout = Duration(2 * time.Second)
	}
	if r.WaitTimeout == 0 {
		r.WaitTimeout = Duration(time.Second)
	}
}

func (r Redis) validate() error {
	if !r.Enabled() {
		return nil
	}
	topologies := 0
	for _, set := range []bool{r.URL != "", r.Sentinel.Master != "" || len(r.Sentinel.Addrs) > 0, len(r.Cluster.Addrs) > 0} {
		if set {
			topologies++
		}
	}
	if topologies > 1 {
		return errors.New("redis: set one of url, sentinel and cluster")
	}
	if r.Timeout.Std() <= 0 {
		return errors.New("redis.timeout: must be positive")
	}
	if r.WaitReplicas < 0 || r.WaitTimeout.Std() <= 0 {
		return errors.New("redis.wait_replicas: must not be negative, and redis.wait_timeout positive")
	}
	_, err := r.Target()
	return err
}

// Target resolves where to connect. Errors name the key (redis.url,
// redis.sentinel.addrs, …) and never hold a password.
func (r Redis) Target() (RedisTarget, error) {
	var t RedisTarget
	switch {
	case r.URL != "":
		var err error
		if t, err = parseRedisURL(r.URL); err != nil {
			return t, fmt.Errorf("redis.url: %w", err)
		}
	case len(r.Cluster.Addrs) > 0:
		t.Mode = RedisClusterMode
		for _, a := range r.Cluster.Addrs {
			addr, err := hostPort(a, "6379")
			if err != nil {
				return t, fmt.Errorf("redis.cluster.addrs: %w", err)
			}
			t.Addrs = append(t.Addrs, addr)
		}
	default:
		t.Mode = RedisSentinelMode
		if r.Sentinel.Master == "" || len(r.Sentinel.Addrs) == 0 {
			return t, errors.New("redis.sentinel: want both master and addrs")
		}
		t.MasterName = r.Sentinel.Master
		for _, a := range r.Sentinel.Addrs {
			addr, err := hostPort(a, "26379")
			if err != nil {
				return t, fmt.Errorf("redis.sentinel.addrs: %w", err)
			}
			t.Addrs = append(t.Addrs, addr)
		}
	}
	if t.Username == "" && t.Password == "" {
		t.Username, t.Password = r.Username, r.Password
	}
	t.SentinelUsername, t.SentinelPassword = r.Sentinel.Username, r.Sentinel.Password
	t.TLS = t.TLS || r.TLS.Enabled || r.TLS.CAFile != "" || r.TLS.ServerName != ""
	t.CAFile, t.ServerName = r.TLS.CAFile, r.TLS.ServerName
	return t, nil
}

// String describes the target for logs and errors, without credentials.
func (t RedisTarget) String() string {
	scheme := "redis"
	if t.TLS {
		scheme = "rediss"
	}
	user := ""
	if t.Username != "" {
		user = t.Username + "@"
	}
	switch t.Mode {
	case RedisSentinelMode:
		return fmt.Sprintf("%s+sentinel://%s%s/%s/%d", scheme, user, strings.Join(t.Addrs, ","), t.MasterName, t.DB)
	case RedisClusterMode:
		return fmt.Sprintf("%s+cluster://%s%s", scheme, user, strings.Join(t.Addrs, ","))
	}
	return fmt.Sprintf("%s://%s%s/%d", scheme, user, strings.Join(t.Addrs, ","), t.DB)
}

// RedactRedisURL is s with any password replaced, for messages.
func RedactRedisURL(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return "(not a URL)"
	}
	authority, path, _ := strings.Cut(rest, "/")
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		if user, _, hasPass := strings.Cut(authority[:at], ":"); hasPass {
			authority = user + ":xxxxx" + authority[at:]
		}
	}
	out := scheme + "://" + authority
	if path != "" || strings.Contains(rest, "/") {
		out += "/" + path
	}
	return out
}

// parseRedisURL reads the three URL forms. Errors quote the URL only
// redacted.
func parseRedisURL(s string) (RedisTarget, error) {
	var t RedisTarget
	bad := func(why string) (RedisTarget, error) {
		return RedisTarget{}, fmt.Errorf("%s in %q; want redis://[user:password@]host:port[/db], redis+sentinel://host:port[,host:port…]/master[/db] or redis+cluster://host:port[,host:port…] (rediss… for TLS)", why, RedactRedisURL(s))
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return bad("no scheme")
	}
	defPort := "6379"
	switch scheme {
	case "redis", "rediss":
		t.Mode = RedisStandalone
	case "redis+sentinel", "rediss+sentinel":
		t.Mode, defPort = RedisSentinelMode, "26379"
	case "redis+cluster", "rediss+cluster":
		t.Mode = RedisClusterMode
	default:
		return bad("unknown scheme " + strconv.Quote(scheme))
	}
	t.TLS = strings.HasPrefix(scheme, "rediss")
	if strings.ContainsAny(rest, "?#") {
		return bad("query or fragment (not supported; use the config keys)")
	}
	authority, path, _ := strings.Cut(rest, "/")
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		u, err := url.Parse("redis://" + authority[:at+1] + "host")
		if err != nil || u.User == nil {
			return bad("unreadable user or password (percent-encode them)")
		}
		t.Username = u.User.Username()
		t.Password, _ = u.User.Password()
		authority = authority[at+1:]
	}
	if authority == "" {
		return bad("no host")
	}
	for _, h := range strings.Split(authority, ",") {
		addr, err := hostPort(h, defPort)
		if err != nil {
			return bad(err.Error())
		}
		t.Addrs = append(t.Addrs, addr)
	}
	if t.Mode == RedisStandalone && len(t.Addrs) > 1 {
		return bad("several hosts (for Sentinel or Cluster use redis+sentinel:// or redis+cluster://)")
	}
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	if t.Mode == RedisSentinelMode {
		if len(segs) == 0 {
			return bad("no master name")
		}
		t.MasterName, segs = segs[0], segs[1:]
	}
	switch {
	case len(segs) > 1:
		return bad("a path of too many parts")
	case len(segs) == 1:
		db, err := strconv.Atoi(segs[0])
		if err != nil || db < 0 {
			return bad("database " + strconv.Quote(segs[0]) + " is not a number")
		}
		if t.Mode == RedisClusterMode && db != 0 {
			return bad("a database other than 0 (Cluster has only 0)")
		}
		t.DB = db
	}
	return t, nil
}

// hostPort checks host[:port] and adds the default port.
func hostPort(s, defPort string) (string, error) {
	if s == "" {
		return "", errors.New("an empty address")
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		host, port = strings.Trim(s, "[]"), defPort
	}
	if host == "" || strings.ContainsAny(host, " /@") {
		return "", fmt.Errorf("address %q is not host:port", s)
	}
	if p, err := strconv.Atoi(port); err != nil || p <= 0 || p > 65535 {
		return "", fmt.Errorf("address %q has no valid port", s)
	}
	return net.JoinHostPort(host, port), nil
}
