package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/loginwithiota/verifier/oauth"
	"github.com/loginwithiota/verifier/session"
)

// writeWindow is how long one write to an event stream may take. The
// server's WriteTimeout would end every stream after its few seconds, so
// each write moves the connection's deadline instead.
const writeWindow = 10 * time.Second

// storeRetryFirst is the first re-read after the store failed one.
const storeRetryFirst = 500 * time.Millisecond

// sessionEvents streams a session's status as Server-Sent Events, with the
// same authorization as the status read (bearer token or cookie):
//
//	retry: 2000
//
//	event: pending
//	data: {"id":"…","status":"pending","expires_at":"…"}
//
//	: heartbeat
//
//	event: verified
//	data: {"id":"…","status":"verified","expires_at":"…","result":{…}}
//
// The first event is the current status; then one event each time what a
// reader sees changes. The stream ends after a final status (verified,
// failed, expired); a session that vanished from the store ends it with
// expired too. A change reaches the stream through the store's
// notifier wherever the wallet's answer arrived, expiry through a timer at
// expires_at, and every heartbeat re-reads the session as well, so a lost
// notification costs at most one heartbeat.
func (h *Handler) sessionEvents(c echo.Context) error {
	ctx := c.Request().Context()
	id := c.Param("id")
	token := statusToken(c, id)
	if _, err := h.v.Status(ctx, id, token); err != nil {
		return err // 401/404/503 as JSON: nothing streamed yet
	}
	release, limit, err := h.streams.acquire(id)
	if err != nil {
		h.obs.Refused(limit)
		return err
	}
	defer release()
	h.obs.StreamOpened()
	defer h.obs.StreamClosed()
	// Subscribe before the read that is sent first, so a change in between
	// is either in that read or wakes us.
	subCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	changed, err := h.v.Subscribe(subCtx, id)
	if err != nil {
		h.log.WarnContext(ctx, "event stream without notifications, re-reading on heartbeats", "err", err)
	}
	s, err := h.v.Status(ctx, id, token)
	if err != nil {
		return err
	}

	res := c.Response()
	rc := http.NewResponseController(res)
	hdr := res.Header()
	hdr.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	res.WriteHeader(http.StatusOK)

	st := &stream{w: res, rc: rc}
	st.comment("retry: 2000\n\n")
	last := statusOf(s, h.v.Now())
	if err := st.event(last); err != nil || final(last.Status) {
		return nil
	}

	expiry := time.NewTimer(time.Until(h.realTime(s.ExpiresAt)))
	defer expiry.Stop()
	heartbeat := time.NewTicker(h.heartbeat)
	defer heartbeat.Stop()
	// While the store is down, re-read sooner than the heartbeat, so a
	// store that comes back without the session (a Redis restarted
	// empty) ends the stream at once.
	retry := time.NewTimer(time.Hour)
	retry.Stop()
	defer retry.Stop()
	backoff := storeRetryFirst
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-h.done:
			return nil // the server is shutting down
		case <-changed:
		case <-expiry.C:
		case <-retry.C:
		case <-heartbeat.C:
			if err := st.comment(": heartbeat\n\n"); err != nil {
				return nil
			}
		}
		s, err := h.v.Status(ctx, id, token)
		if err != nil {
			if e := oauth.As(err); e != nil && e.Code() == oauth.TemporarilyUnavailable {
				retry.Reset(backoff)
				backoff = min(2*backoff, h.heartbeat)
				continue
			}
			// The session is gone (the store lost it, or it was deleted):
			// it can no longer complete, so say so and end.
			gone := last
			gone.Status, gone.Error, gone.Result = session.StatusExpired, nil, nil
			_ = st.event(gone)
			return nil
		}
		backoff = storeRetryFirst
		now := statusOf(s, h.v.Now())
		if now.Status == last.Status {
			if now.ExpiresAt != last.ExpiresAt {
				expiry.Reset(time.Until(h.realTime(s.ExpiresAt)))
				last.ExpiresAt = now.ExpiresAt
			}
			continue
		}
		last = now
		if err := st.event(now); err != nil || final(now.Status) {
			return nil
		}
		expiry.Reset(time.Until(h.realTime(s.ExpiresAt)))
	}
}

// realTime maps a time on the verifier's clock to the wall clock timers run on.
func (h *Handler) realTime(t time.Time) time.Time {
	return time.Now().Add(t.Sub(h.v.Now()))
}

func final(s session.Status) bool { return s != session.StatusPending }

// stream writes SSE frames, each with a fresh write deadline, flushed.
type stream struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

func (s *stream) comment(text string) error {
	_ = s.rc.SetWriteDeadline(time.Now().Add(writeWindow))
	if _, err := fmt.Fprint(s.w, text); err != nil {
		return err
	}
	return s.rc.Flush()
}

func (s *stream) event(st statusResponse) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	// JSON from encoding/json has no raw newlines, so one data line suffices.
	return s.comment(fmt.Sprintf("event: %s\ndata: %s\n\n", st.Status, data))
}
