package web

import (
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/loginwithiota/verifier/internal/ttlcache"
)

// qrCache keeps each session's rendered QR images (SVG and PNG) until the
// session stops being pending: a PNG costs tens of milliseconds of CPU,
// and pages and browsers ask for it more than once. Concurrent requests
// for one image render it once. It is bounded (ttlcache's crude bound:
// at the limit, expired images go first, then all).
type qrCache struct {
	images *ttlcache.Cache[[]byte]
	group  singleflight.Group
}

// qrMaxAge bounds how long an image is kept whatever its session's
// lifetime.
const qrMaxAge = time.Hour

func newQRCache(size int) *qrCache {
	if size <= 0 {
		return nil
	}
	return &qrCache{images: ttlcache.New[[]byte](qrMaxAge, size, nil)}
}

// get returns the image under key, rendering text with render when it is
// not kept, and keeping it until expires. A nil cache renders every time.
func (q *qrCache) get(key, text string, expires time.Time, render func(string) ([]byte, error)) ([]byte, error) {
	if q == nil {
		return render(text)
	}
	if img, ok := q.images.Get(key); ok {
		return img, nil
	}
	v, err, _ := q.group.Do(key, func() (any, error) {
		if img, ok := q.images.Get(key); ok {
			return img, nil
		}
		img, err := render(text)
		if err != nil {
			return nil, err
		}
		if ttl := time.Until(expires); ttl > 0 {
			q.images.Put(key, img, ttl)
		}
		return img, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}
