package oidcbridge

import (
	"net/http"
	"strings"
)

// challenges adds the WWW-Authenticate header RFC 6750 §3 (userinfo) and
// RFC 6749 §5.2 (token, revocation) ask of a 401, which the library's
// error writer cannot set.
func challenges(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		challenge := `Basic realm="login-with-iota"`
		if strings.HasSuffix(r.URL.Path, "/"+endpointInfo) {
			challenge = `Bearer realm="login-with-iota", error="invalid_token"`
		}
		next.ServeHTTP(&challengeWriter{ResponseWriter: w, challenge: challenge}, r)
	})
}

type challengeWriter struct {
	http.ResponseWriter
	challenge string
}

func (w *challengeWriter) WriteHeader(status int) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", w.challenge)
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *challengeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
