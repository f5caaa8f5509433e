package main

import (
	"fmt"
	"net/url"
)

func checkPublicURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("public URL %q: want an absolute http(s) URL", s)
	}
	return nil
}

// hostOf is the host of URL s without brackets ("" if none).
func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
