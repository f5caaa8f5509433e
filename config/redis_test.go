package config

import (
	"strings"
	"testing"
)

func TestRedisTarget(t *testing.T) {
	tests := []struct {
		name string
		r    Redis
		want string // RedisTarget.String()
		user string
		pass string
	}{
		{"standalone", Redis{URL: "redis://127.0.0.1:6379/2"}, "redis://127.0.0.1:6379/2", "", ""},
		{"default port and db", Redis{URL: "redis://cache"}, "redis://cache:6379/0", "", ""},
		{"tls and acl", Redis{URL: "rediss://app:s%3Acret@cache:6380/1"}, "rediss://app@cache:6380/1", "app", "s:cret"},
		{"password only", Redis{URL: "redis://:pw@cache:6379"}, "redis://cache:6379/0", "", "pw"},
		{"sentinel url", Redis{URL: "redis+sentinel://s1:26379,s2,s3:26380/mymaster/3"}, "redis+sentinel://s1:26379,s2:26379,s3:26380/mymaster/3", "", ""},
		{"cluster url", Redis{URL: "rediss+cluster://u:p@n1:7000,n2:7001"}, "rediss+cluster://u@n1:7000,n2:7001", "u", "p"},
		{"sentinel keys", Redis{Sentinel: RedisSentinel{Master: "m", Addrs: []string{"s1", "s2:1"}}, Password: "k"}, "redis+sentinel://s1:26379,s2:1/m/0", "", "k"},
		{"cluster keys", Redis{Cluster: RedisCluster{Addrs: []string{"n1:7000", "[::1]:7001"}}, TLS: RedisTLS{CAFile: "ca.pem"}}, "rediss+cluster://n1:7000,[::1]:7001", "", ""},
		{"url credentials win", Redis{URL: "redis://a:b@h:1", Username: "x", Password: "y"}, "redis://a@h:1/0", "a", "b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.r.applyDefaults()
			if err := tt.r.validate(); err != nil {
				t.Fatal(err)
			}
			got, err := tt.r.Target()
			if err != nil {
				t.Fatal(err)
			}
			if got.String() != tt.want || got.Username != tt.user || got.Password != tt.pass {
				t.Errorf("got %s (%q, %q), want %s (%q, %q)", got, got.Username, got.Password, tt.want, tt.user, tt.pass)
			}
		})
	}
}

func TestRedisTargetErrors(t *testing.T) {
	for _, tt := range []struct {
		r   Redis
		key string
	}{
		{Redis{URL: "http://h:1"}, "redis.url"},
		{Redis{URL: "redis://h:1,h:2"}, "redis.url"},
		{Redis{URL: "redis://h:x"}, "redis.url"},
		{Redis{URL: "redis://h:1/zero"}, "redis.url"},
		{Redis{URL: "redis://h:1/0?dial_timeout=1"}, "redis.url"},
		{Redis{URL: "redis+sentinel://s:1"}, "redis.url"},
		{Redis{URL: "redis+cluster://h:1/3"}, "redis.url"},
		{Redis{URL: "redis://user:hunter2@h:1/0/1"}, "redis.url"},
		{Redis{Sentinel: RedisSentinel{Master: "m"}}, "redis.sentinel"},
		{Redis{Cluster: RedisCluster{Addrs: []string{"h:0"}}}, "redis.cluster.addrs"},
		{Redis{URL: "redis://h", Cluster: RedisCluster{Addrs: []string{"h"}}}, "redis:"},
		{Redis{Cluster: RedisCluster{Addrs: []string{"h"}}, WaitReplicas: -1}, "redis.wait_replicas"},
	} {
		tt.r.applyDefaults()
		err := tt.r.validate()
		if err == nil || !strings.HasPrefix(err.Error(), tt.key) {
			t.Errorf("%+v: err = %v, want one naming %s", tt.r, err, tt.key)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("the error shows the password: %v", err)
		}
	}
}

func TestRedactRedisURL(t *testing.T) {
	for in, want := range map[string]string{
		"redis://u:secret@h:1/0":     "redis://u:xxxxx@h:1/0",
		"redis://:secret@h:1":        "redis://:xxxxx@h:1",
		"redis+sentinel://u:p@a,b/m": "redis+sentinel://u:xxxxx@a,b/m",
		"redis://h:1/0":              "redis://h:1/0",
		"rediss://u:p%40ss@w@h:1":    "rediss://u:xxxxx@h:1",
		"no scheme u:secret@h":       "(not a URL)",
	} {
		if got := RedactRedisURL(in); got != want {
			t.Errorf("RedactRedisURL(%q) = %q, want %q", in, got, want)
		}
	}
}
