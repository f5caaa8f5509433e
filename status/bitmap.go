package status

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/loginwithiota/verifier/did"
)

// bitmapPrefix is the only endpoint form of RevocationBitmap2022 (IOTA
// "Revocation Bitmap 2022" specification: a data URL, media type
// application/octet-stream, base64).
const bitmapPrefix = "data:application/octet-stream;base64,"

// DecodeRevocationBitmap decodes a RevocationBitmap2022 service endpoint:
// base64url (padding and the standard alphabet tolerated) of a zlib
// (RFC 1950) stream of a Roaring bitmap in its portable serialisation.
// Endpoints written by identity.rs before PR #1291 base64-encode twice; a
// first decoding that does not yield a zlib stream is decoded once more.
// maxLen bounds the decompressed bitmap. Errors wrap ErrMalformed.
func DecodeRevocationBitmap(endpoint string, maxLen int64) (bm *roaring.Bitmap, err error) {
	data, ok := strings.CutPrefix(endpoint, bitmapPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: RevocationBitmap2022 endpoint is not a %s… data URL", ErrMalformed, bitmapPrefix)
	}
	z, err := decodeBase64(data)
	if err != nil {
		return nil, fmt.Errorf("%w: RevocationBitmap2022 endpoint: %v", ErrMalformed, err)
	}
	if len(z) > 0 && z[0] != 0x78 { // not a zlib header (CMF of deflate): the legacy double encoding
		if z, err = decodeBase64(string(z)); err != nil {
			return nil, fmt.Errorf("%w: RevocationBitmap2022 endpoint: neither zlib nor base64 of zlib", ErrMalformed)
		}
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return nil, fmt.Errorf("%w: RevocationBitmap2022 zlib: %v", ErrMalformed, err)
	}
	raw, err := readLimited(zr, maxLen)
	if err != nil {
		return nil, fmt.Errorf("%w: RevocationBitmap2022 zlib: %v", ErrMalformed, err)
	}
	// The bitmap comes from whoever wrote the DID document; a roaring
	// decoder that chokes on a crafted one must not take the service down.
	defer func() {
		if p := recover(); p != nil {
			bm, err = nil, fmt.Errorf("%w: RevocationBitmap2022 roaring bitmap: %v", ErrMalformed, p)
		}
	}()
	bm = roaring.New()
	if err := bm.UnmarshalBinary(raw); err != nil {
		return nil, fmt.Errorf("%w: RevocationBitmap2022 roaring bitmap: %v", ErrMalformed, err)
	}
	return bm, nil
}

func (c *Checker) checkBitmap(ctx context.Context, e map[string]any, issuer string, dids did.Resolver, r *Result) {
	r.Purpose = PurposeRevocation
	index, err := indexOf(e, "revocationBitmapIndex", math.MaxUint32)
	if err != nil {
		r.Err = err
		return
	}
	r.Index = index
	issuerDID, fragment := did.Split(r.ID)
	switch {
	case fragment == "" || issuerDID == "":
		r.Err = fmt.Errorf("%w: RevocationBitmap2022 id %q is not a DID URL with a fragment", ErrMalformed, clip(r.ID))
		return
	case issuerDID != issuer:
		// identity.rs: the status must point into the issuer's own document,
		// or anyone could vouch for the issuer's credentials.
		r.Err = fmt.Errorf("%w: RevocationBitmap2022 id %q is not in the document of the issuer %q", ErrMalformed, clip(r.ID), clip(issuer))
		return
	case dids == nil:
		r.Err = fmt.Errorf("%w: no DID resolver for RevocationBitmap2022", ErrUnsupported)
		return
	}
	doc, err := dids.Resolve(ctx, issuerDID)
	if err != nil {
		r.Err = fmt.Errorf("RevocationBitmap2022: %w", err)
		return
	}
	endpoint, err := bitmapService(doc, r.ID)
	if err != nil {
		r.Err = err
		return
	}
	bm, err := DecodeRevocationBitmap(endpoint, c.opts.MaxListLen)
	if err != nil {
		r.Err = err
		return
	}
	r.State = Active
	if bm.Contains(uint32(index)) {
		r.State = Revoked
	}
}

// bitmapService finds the RevocationBitmap2022 service id in doc and
// returns its endpoint.
func bitmapService(doc *did.Document, id string) (string, error) {
	for _, s := range doc.Service {
		sid, _ := s["id"].(string)
		if strings.HasPrefix(sid, "#") {
			sid = doc.ID + sid
		}
		if sid != id {
			continue
		}
		if t, _ := s["type"].(string); t != TypeRevocationBitmap2022 {
			return "", fmt.Errorf("%w: service %s is a %q, not RevocationBitmap2022", ErrMalformed, clip(id), clip(t))
		}
		endpoint, ok := s["serviceEndpoint"].(string)
		if !ok {
			return "", fmt.Errorf("%w: service %s has no string serviceEndpoint", ErrMalformed, clip(id))
		}
		return endpoint, nil
	}
	return "", fmt.Errorf("%w: the issuer's document has no service %s", ErrMalformed, clip(id))
}

// indexOf reads an index given as a decimal string (as the specifications
// write it) or a JSON integer, at most max.
func indexOf(e map[string]any, name string, max uint64) (uint64, error) {
	var (
		n   uint64
		err error
	)
	switch v := e[name].(type) {
	case string:
		n, err = strconv.ParseUint(v, 10, 64)
	case float64:
		if v < 0 || v != math.Trunc(v) || v > math.MaxUint32*2048.0 {
			err = fmt.Errorf("not an unsigned integer")
		}
		n = uint64(v)
	default:
		err = fmt.Errorf("missing")
	}
	if err == nil && n > max {
		err = fmt.Errorf("%d exceeds %d", n, max)
	}
	if err != nil {
		return 0, fmt.Errorf("%w: %s: %v", ErrMalformed, name, err)
	}
	return n, nil
}

// decodeBase64 accepts base64url or standard base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if strings.ContainsAny(s, "+/") {
		return base64.RawStdEncoding.DecodeString(s)
	}
	return base64.RawURLEncoding.DecodeString(s)
}

// readLimited reads all of r, failing beyond max bytes.
func readLimited(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("decompresses to more than %d bytes", max)
	}
	return b, nil
}
