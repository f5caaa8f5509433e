package qr

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
	"github.com/yeqown/go-qrcode/writer/standard"
)

// matrix encodes text; level M keeps long URIs scannable.
func matrix(text string) (*qrcode.QRCode, error) {
	return qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
}

// PNG renders text as a PNG image.
func PNG(text string) ([]byte, error) {
	q, err := matrix(text)
	if err != nil {
		return nil, fmt.Errorf("qr encode: %w", err)
	}
	var buf bytes.Buffer
	w := standard.NewWithWriter(nopCloser{&buf},
		standard.WithBuiltinImageEncoder(standard.PNG_FORMAT),
		standard.WithQRWidth(6),
		standard.WithBorderWidth(24),
	)
	if err := q.Save(w); err != nil {
		return nil, fmt.Errorf("qr png: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG renders text as an SVG image whose accessible name is label.
func SVG(text, label string) ([]byte, error) {
	q, err := matrix(text)
	if err != nil {
		return nil, fmt.Errorf("qr encode: %w", err)
	}
	w := &svgWriter{label: label}
	if err := q.Save(w); err != nil {
		return nil, fmt.Errorf("qr svg: %w", err)
	}
	return w.buf.Bytes(), nil
}

type svgWriter struct {
	label string
	buf   bytes.Buffer
}

const quietZone = 4 // modules of white border the QR spec asks for

func (s *svgWriter) Write(mat qrcode.Matrix) error {
	bits := mat.Bitmap()
	n := len(bits) + 2*quietZone
	var path strings.Builder
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x+quietZone, y+quietZone)
			}
		}
	}
	fmt.Fprintf(&s.buf, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="%s">`, n, n, html.EscapeString(s.label))
	fmt.Fprintf(&s.buf, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`, n, n, path.String())
	return nil
}

func (s *svgWriter) Close() error { return nil }

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
