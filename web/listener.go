package web

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strconv"
)

// Listener wraps ln so the answers net/http writes by itself, before any
// handler runs (431 for oversized headers, 400 for a malformed request,
// 501 for an unknown transfer encoding), are JSON errors like every other
// answer instead of text/plain. net/http writes those in one Write on the
// raw connection, in a form a handler's answer never has (Content-Type
// before Connection); only that form is rewritten.
func Listener(ln net.Listener) net.Listener { return jsonErrorsListener{ln} }

type jsonErrorsListener struct{ net.Listener }

func (l jsonErrorsListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return jsonErrorsConn{c}, nil
}

type jsonErrorsConn struct{ net.Conn }

// cannedHeaders follow the status line of net/http's own error answers.
const cannedHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

func (c jsonErrorsConn) Write(p []byte) (int, error) {
	if !bytes.HasPrefix(p, []byte("HTTP/1.1 ")) {
		return c.Conn.Write(p)
	}
	i := bytes.Index(p, []byte(cannedHeaders))
	if i < 0 || bytes.IndexByte(p[:i], '\n') >= 0 {
		return c.Conn.Write(p)
	}
	code, err := strconv.Atoi(string(p[len("HTTP/1.1 "):min(i, len("HTTP/1.1 ")+3)]))
	if err != nil || code < 400 {
		return c.Conn.Write(p)
	}
	if _, err := c.Conn.Write(cannedJSON(code)); err != nil {
		return 0, err
	}
	return len(p), nil
}

// cannedJSON is the JSON answer for one of net/http's own errors.
func cannedJSON(code int) []byte {
	desc := "the request is malformed"
	switch code {
	case http.StatusRequestHeaderFieldsTooLarge:
		desc = "request header fields too large"
	case http.StatusNotImplemented:
		desc = "unsupported transfer encoding"
	}
	body := fmt.Sprintf(`{"error":"invalid_request","error_description":%q}`+"\n", desc)
	return fmt.Appendf(nil, "HTTP/1.1 %d %s\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: %d\r\n"+
		"Content-Type: application/json\r\nX-Content-Type-Options: nosniff\r\n\r\n%s", code, http.StatusText(code), len(body), body)
}
