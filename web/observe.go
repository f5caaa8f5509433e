package web

import "time"

// Observer is told what the HTTP side does, for metrics (Options.Observer).
// Its labels are routes, methods, codes and limit names only: nothing a
// visitor chose.
type Observer interface {
	// Request: one answered request on route (the route pattern, such as
	// /api/v1/sessions/:id; "unmatched" for a path no route has).
	Request(route, method string, status int, d time.Duration)
	// StreamOpened and StreamClosed bracket one event stream.
	StreamOpened()
	StreamClosed()
	// Refused: a request refused by a limit (LimitSessionRate,
	// LimitStreamsPerSession, LimitStreams).
	Refused(limit string)
}

// Limits that refuse requests, as Observer.Refused names them.
const (
	LimitSessionRate       = "session_rate"
	LimitStreamsPerSession = "streams_per_session"
	LimitStreams           = "streams"
)

type nopObserver struct{}

func (nopObserver) Request(string, string, int, time.Duration) {}
func (nopObserver) StreamOpened()                              {}
func (nopObserver) StreamClosed()                              {}
func (nopObserver) Refused(string)                             {}
