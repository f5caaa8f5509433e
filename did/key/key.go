package key

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loginwithiota/verifier/did"
	"github.com/loginwithiota/verifier/did/internal/multikey"
	"github.com/loginwithiota/verifier/internal/ttlcache"
)

// Prefix is the scheme and method of every did:key.
const Prefix = "did:key:"

// Resolver resolves did:key DIDs. The zero value is ready to use.
type Resolver struct{}

var _ did.Resolver = Resolver{}

// New returns the did:key resolver.
func New() did.Resolver { return Resolver{} }

// Resolve generates the document of a did:key. A DID URL's fragment, path
// and query are ignored. Malformed identifiers (bad multibase or varint,
// wrong key length, a point not on the curve) wrap did.ErrInvalidDID; key
// types this package does not know wrap both did.ErrInvalidDID and
// did.ErrUnsupportedKey.
func (Resolver) Resolve(ctx context.Context, id string) (*did.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id, _ = did.Split(id)
	if doc, ok := generated.Get(id); ok {
		return doc, nil
	}
	doc, err := generate(id)
	if err != nil {
		return nil, err
	}
	generated.Put(id, doc, 0)
	return doc, nil
}

// generated keeps documents made lately: a document is a pure function of
// its DID, and the same issuers and holders come back login after login,
// so building it anew each time is waste. Documents are shared read-only.
var generated = ttlcache.New[*did.Document](time.Hour, 4096, nil)

func generate(id string) (*did.Document, error) {
	mb, ok := strings.CutPrefix(id, Prefix)
	if !ok {
		return nil, fmt.Errorf("%w: not a did:key", did.ErrInvalidDID)
	}
	codec, raw, err := multikey.Decode(mb)
	if errors.Is(err, multikey.ErrUnsupportedCodec) {
		// Well-formed perhaps, but not a DID we can make a document for.
		return nil, fmt.Errorf("%w: %w: %v", did.ErrInvalidDID, did.ErrUnsupportedKey, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", did.ErrInvalidDID, err)
	}
	kt, ok := keyTypes[codec]
	if !ok {
		return nil, fmt.Errorf("%w: %w: multicodec 0x%x", did.ErrInvalidDID, did.ErrUnsupportedKey, codec)
	}
	m, err := kt.document(id, mb, raw)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", did.ErrInvalidDID, err)
	}
	doc, err := did.DocumentFromMap(m)
	if err != nil { // would be a bug in the builders above
		return nil, fmt.Errorf("did:key: generated document: %w", err)
	}
	return doc, nil
}

// FromP256 returns the did:key of a P-256 public key ("did:key:zDn…") and
// the id of its verification method.
func FromP256(pub *ecdsa.PublicKey) (did string, vmID string, err error) {
	c, err := multikey.CompressP256(pub)
	if err != nil {
		return "", "", err
	}
	mb := multikey.Encode(multikey.P256Pub, c)
	return Prefix + mb, Prefix + mb + "#" + mb, nil
}

// FromEd25519 returns the did:key of an Ed25519 public key and the id of
// its verification method (did:key:z6Mk…#z6Mk…).
func FromEd25519(pub ed25519.PublicKey) (did string, vmID string) {
	mb := multikey.Encode(multikey.Ed25519Pub, pub)
	return Prefix + mb, Prefix + mb + "#" + mb
}
