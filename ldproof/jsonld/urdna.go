package jsonld

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Algorithm selects the canonicalization's N-Quads escaping; the labelling
// algorithm is the same (RDFC-1.0 standardised URDNA2015).
type Algorithm int

const (
	// URDNA2015 escapes literals as rdf-canonize 3 (jsonld.js 8) does: only
	// `"`, `\`, LF and CR; IRIs are written as they are. The Linked Data
	// Signatures suites (Ed25519Signature2018/2020, JsonWebSignature2020)
	// were made with it.
	URDNA2015 Algorithm = iota
	// RDFC10 escapes as RDFC-1.0 (rdf-canonize 5): other control characters
	// as \b \t \f or \uXXXX, and IRI characters N-Quads forbids. The
	// eddsa-rdfc-2022 cryptosuite uses it.
	RDFC10
)

type termKind uint8

const (
	kindNone termKind = iota // the default graph
	kindIRI
	kindBlank
	kindLiteral
)

type term struct {
	kind                  termKind
	value, datatype, lang string
}

type quad struct{ s, p, o, g term }

// canonicalizer is RDFC-1.0 §4.4 "Canonicalization Algorithm" over quads.
//
// Blank-node graphs can be built to make the algorithm exponential, and a
// wallet must not be able to stall a verifier, so the hashing is charged
// to a work budget (limits.work) at its real cost: a unit per quad a hash
// reads, and per identifier an issuer copy holds. (Counting steps instead
// let each step copy an issuer of thousands of entries.) The context is
// checked as work is charged.
type canonicalizer struct {
	ctx       context.Context
	alg       Algorithm
	quads     []quad
	blank     map[string][]int  // blank node → quads mentioning it
	first     map[string]string // blank node → its first-degree hash
	canonical *issuer
	work      int
	maxWork   int
	checked   int // work at the last context check
	buf       []byte
}

// ctxCheckEvery is how much work may pass between two context checks: a
// few hundred microseconds.
const ctxCheckEvery = 4096

// charge adds n units of work, refusing once the budget is spent and
// stopping once the context is done.
func (c *canonicalizer) charge(n int) error {
	c.work += n
	if c.work > c.maxWork {
		return fmt.Errorf("%w: blank node structure needs more than %d units of hashing work", ErrTooComplex, c.maxWork)
	}
	if c.work-c.checked >= ctxCheckEvery {
		c.checked = c.work
		if err := c.ctx.Err(); err != nil {
			return fmt.Errorf("jsonld: canonicalization: %w", err)
		}
	}
	return nil
}

func canonicalize(ctx context.Context, quads []quad, alg Algorithm, lim limits) ([]byte, error) {
	return canonicalizeStats(ctx, quads, alg, lim, &stats{})
}

func canonicalizeStats(ctx context.Context, quads []quad, alg Algorithm, lim limits, st *stats) ([]byte, error) {
	c := &canonicalizer{ctx: ctx, alg: alg, quads: quads, blank: make(map[string][]int), first: make(map[string]string),
		canonical: newIssuer("_:c14n"), maxWork: lim.work}
	// 1-2. Blank node to quads.
	for i := range quads {
		q := &quads[i]
		for _, t := range []*term{&q.s, &q.o, &q.g} {
			if t.kind == kindBlank {
				list := c.blank[t.value]
				if len(list) == 0 || list[len(list)-1] != i {
					c.blank[t.value] = append(list, i)
				}
			}
		}
	}
	defer func() { st.blankNodes, st.work = len(c.blank), c.work }()
	if err := lim.checkBlankNodes(len(c.blank)); err != nil {
		return nil, err
	}
	// 3. First-degree hashes, in order of first appearance for determinism.
	order := make([]string, 0, len(c.blank))
	seen := make(map[string]bool, len(c.blank))
	for i := range quads {
		for _, t := range []term{quads[i].s, quads[i].o, quads[i].g} {
			if t.kind == kindBlank && !seen[t.value] {
				seen[t.value] = true
				order = append(order, t.value)
			}
		}
	}
	hashToBlank := make(map[string][]string)
	for _, id := range order {
		h, err := c.hashFirstDegree(id)
		if err != nil {
			return nil, err
		}
		hashToBlank[h] = append(hashToBlank[h], id)
	}
	// 4. Unique hashes get canonical identifiers first.
	hashes := make([]string, 0, len(hashToBlank))
	for h := range hashToBlank {
		hashes = append(hashes, h)
	}
	slices.Sort(hashes)
	var shared []string
	for _, h := range hashes {
		if len(hashToBlank[h]) == 1 {
			c.canonical.issue(hashToBlank[h][0])
		} else {
			shared = append(shared, h)
		}
	}
	// 5. The others by their n-degree hashes.
	for _, h := range shared {
		type result struct {
			hash   string
			issuer *issuer
		}
		var paths []result
		for _, id := range hashToBlank[h] {
			if c.canonical.has(id) {
				continue
			}
			tmp := newIssuer("_:b")
			tmp.issue(id)
			hash, iss, err := c.hashNDegree(id, tmp)
			if err != nil {
				return nil, err
			}
			paths = append(paths, result{hash, iss})
		}
		slices.SortStableFunc(paths, func(a, b result) int { return strings.Compare(a.hash, b.hash) })
		for _, r := range paths {
			for _, id := range r.issuer.order {
				c.canonical.issue(id)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jsonld: canonicalization: %w", err)
	}
	// 6. Relabel, serialize, sort.
	lines := make([]string, len(quads))
	for i, q := range quads {
		for _, t := range []*term{&q.s, &q.o, &q.g} {
			if t.kind == kindBlank {
				t.value = c.canonical.issued[t.value]
			}
		}
		c.buf = c.appendQuad(c.buf[:0], &q, "")
		lines[i] = string(c.buf)
	}
	slices.Sort(lines)
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	out := make([]byte, 0, n)
	for _, l := range lines {
		out = append(out, l...)
	}
	return out, nil
}

// hashFirstDegree is §4.6: the quads of id, id written _:a and every other
// blank node _:z, sorted and hashed. It is computed once per blank node.
func (c *canonicalizer) hashFirstDegree(id string) (string, error) {
	if h, ok := c.first[id]; ok {
		return h, nil
	}
	qs := c.blank[id]
	if err := c.charge(len(qs)); err != nil {
		return "", err
	}
	lines := make([]string, len(qs))
	for i, qi := range qs {
		c.buf = c.appendQuad(c.buf[:0], &c.quads[qi], id)
		lines[i] = string(c.buf)
	}
	slices.Sort(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
	}
	sum := hex.EncodeToString(h.Sum(nil))
	c.first[id] = sum
	return sum, nil
}

// hashRelated is §4.7.
func (c *canonicalizer) hashRelated(related string, q *quad, iss *issuer, position byte) (string, error) {
	var id string
	if v, ok := c.canonical.issued[related]; ok {
		id = v
	} else if v, ok := iss.issued[related]; ok {
		id = v
	} else {
		var err error
		if id, err = c.hashFirstDegree(related); err != nil {
			return "", err
		}
	}
	b := []byte{position}
	if position != 'g' {
		b = append(append(append(b, '<'), q.p.value...), '>')
	}
	b = append(b, id...)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// hashNDegree is §4.8.
func (c *canonicalizer) hashNDegree(id string, iss *issuer) (string, *issuer, error) {
	if err := c.charge(1 + len(c.blank[id])); err != nil {
		return "", nil, err
	}
	hn := make(map[string][]string)
	for _, qi := range c.blank[id] {
		q := &c.quads[qi]
		for _, comp := range []struct {
			t   *term
			pos byte
		}{{&q.s, 's'}, {&q.o, 'o'}, {&q.g, 'g'}} {
			if comp.t.kind == kindBlank && comp.t.value != id {
				h, err := c.hashRelated(comp.t.value, q, iss, comp.pos)
				if err != nil {
					return "", nil, err
				}
				hn[h] = append(hn[h], comp.t.value)
			}
		}
	}
	keys := make([]string, 0, len(hn))
	for k := range hn {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var data strings.Builder
	for _, h := range keys {
		data.WriteString(h)
		chosenPath := ""
		var chosen *issuer
		err := permute(hn[h], func(p []string) error {
			// The copy of the issuer and the path are what a permutation costs.
			if err := c.charge(1 + len(iss.order) + len(p)); err != nil {
				return err
			}
			cp := iss.clone()
			var path strings.Builder
			var recurse []string
			worse := func() bool {
				return chosenPath != "" && path.Len() >= len(chosenPath) && path.String() > chosenPath
			}
			for _, related := range p {
				if v, ok := c.canonical.issued[related]; ok {
					path.WriteString(v)
				} else {
					if !cp.has(related) {
						recurse = append(recurse, related)
					}
					path.WriteString(cp.issue(related))
				}
				if worse() {
					return nil
				}
			}
			for _, related := range recurse {
				hash, next, err := c.hashNDegree(related, cp)
				if err != nil {
					return err
				}
				path.WriteString(cp.issue(related))
				path.WriteString("<" + hash + ">")
				cp = next
				if worse() {
					return nil
				}
			}
			if chosenPath == "" || path.String() < chosenPath {
				chosenPath, chosen = path.String(), cp
			}
			return nil
		})
		if err != nil {
			return "", nil, err
		}
		data.WriteString(chosenPath)
		iss = chosen
	}
	sum := sha256.Sum256([]byte(data.String()))
	return hex.EncodeToString(sum[:]), iss, nil
}

// permute calls f with every distinct permutation of list, in
// lexicographic order. A related blank node is listed once per quad that
// links it, so lists repeat elements; repeats permuted among themselves give
// the same path (rdf-canonize's permuter skips them too), and enumerating
// them would make a node with many quads factorial work.
func permute(list []string, f func([]string) error) error {
	p := slices.Clone(list)
	slices.Sort(p)
	for {
		if err := f(p); err != nil {
			return err
		}
		// Next permutation: the longest non-increasing suffix, its pivot,
		// the pivot's successor in the suffix, swap, reverse the suffix.
		i := len(p) - 2
		for i >= 0 && p[i] >= p[i+1] {
			i--
		}
		if i < 0 {
			return nil
		}
		j := len(p) - 1
		for p[j] <= p[i] {
			j--
		}
		p[i], p[j] = p[j], p[i]
		slices.Reverse(p[i+1:])
	}
}

// appendQuad writes one N-Quads line. When self is set (first-degree
// hashing), blank node self is written _:a and every other blank node _:z.
func (c *canonicalizer) appendQuad(b []byte, q *quad, self string) []byte {
	b = c.appendTerm(b, &q.s, self)
	b = append(b, ' ')
	b = c.appendTerm(b, &q.p, self)
	b = append(b, ' ')
	b = c.appendTerm(b, &q.o, self)
	if q.g.kind != kindNone {
		b = append(b, ' ')
		b = c.appendTerm(b, &q.g, self)
	}
	return append(b, " .\n"...)
}

func (c *canonicalizer) appendTerm(b []byte, t *term, self string) []byte {
	switch t.kind {
	case kindIRI:
		return c.appendIRI(b, t.value)
	case kindBlank:
		if self == "" {
			return append(b, t.value...)
		}
		if t.value == self {
			return append(b, "_:a"...)
		}
		return append(b, "_:z"...)
	}
	b = append(b, '"')
	b = c.appendLiteral(b, t.value)
	b = append(b, '"')
	switch {
	case t.datatype == rdfLangString:
		b = append(append(b, '@'), t.lang...)
	case t.datatype != xsdString:
		b = append(b, "^^"...)
		b = c.appendIRI(b, t.datatype)
	}
	return b
}

const (
	rdfLangString = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
	xsdString     = "http://www.w3.org/2001/XMLSchema#string"
)

func (c *canonicalizer) appendIRI(b []byte, s string) []byte {
	b = append(b, '<')
	if c.alg == URDNA2015 {
		b = append(b, s...)
		return append(b, '>')
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch {
		case ch <= 0x20, ch == '<', ch == '>', ch == '"', ch == '{', ch == '}', ch == '|', ch == '^', ch == '`', ch == '\\':
			b = appendUCHAR(b, ch)
		default:
			b = append(b, ch)
		}
	}
	return append(b, '>')
}

func (c *canonicalizer) appendLiteral(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch ch {
		case '"':
			b = append(b, '\\', '"')
		case '\\':
			b = append(b, '\\', '\\')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			if c.alg == RDFC10 && (ch < 0x20 || ch == 0x7f) {
				switch ch {
				case '\b':
					b = append(b, '\\', 'b')
				case '\t':
					b = append(b, '\\', 't')
				case '\f':
					b = append(b, '\\', 'f')
				default:
					b = appendUCHAR(b, ch)
				}
				continue
			}
			b = append(b, ch)
		}
	}
	return b
}

func appendUCHAR(b []byte, ch byte) []byte {
	b = append(b, `\u00`...)
	h := strconv.FormatUint(uint64(ch), 16)
	if len(h) == 1 {
		b = append(b, '0')
	}
	return append(b, strings.ToUpper(h)...)
}

// issuer is §4.5 "Issue Identifier".
type issuer struct {
	prefix string
	issued map[string]string
	order  []string
}

func newIssuer(prefix string) *issuer {
	return &issuer{prefix: prefix, issued: make(map[string]string)}
}

func (i *issuer) has(id string) bool { _, ok := i.issued[id]; return ok }

func (i *issuer) issue(id string) string {
	if v, ok := i.issued[id]; ok {
		return v
	}
	v := i.prefix + strconv.Itoa(len(i.order))
	i.issued[id] = v
	i.order = append(i.order, id)
	return v
}

func (i *issuer) clone() *issuer {
	c := &issuer{prefix: i.prefix, issued: make(map[string]string, len(i.issued)), order: slices.Clone(i.order)}
	for k, v := range i.issued {
		c.issued[k] = v
	}
	return c
}
