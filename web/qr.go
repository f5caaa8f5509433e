package web

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	qrcode "github.com/yeqown/go-qrcode/v2"
	"github.com/yeqown/go-qrcode/writer/standard"
)

// qrMatrix encodes text; level M keeps long request URIs scannable.
func qrMatrix(text string) (*qrcode.QRCode, error) {
	return qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
}

// qrPNG renders text as a PNG.
func qrPNG(text string) ([]byte, error) {
	qr, err := qrMatrix(text)
	if err != nil {
		return nil, fmt.Errorf("qr encode: %w", err)
	}
	var buf bytes.Buffer
	w := standard.NewWithWriter(nopCloser{&buf},
		standard.WithBuiltinImageEncoder(standard.PNG_FORMAT),
		standard.WithQRWidth(6),
		standard.WithBorderWidth(24),
	)
	if err := qr.Save(w); err != nil {
		return nil, fmt.Errorf("qr png: %w", err)
	}
	return buf.Bytes(), nil
}

// qrSVG renders text as an SVG: one path of unit squares, crisp at any size.
// The standard writer only does raster images, so this small Writer draws
// the module matrix itself.
func qrSVG(text string) ([]byte, error) {
	qr, err := qrMatrix(text)
	if err != nil {
		return nil, fmt.Errorf("qr encode: %w", err)
	}
	w := &svgWriter{}
	if err := qr.Save(w); err != nil {
		return nil, fmt.Errorf("qr svg: %w", err)
	}
	return w.buf.Bytes(), nil
}

type svgWriter struct{ buf bytes.Buffer }

const quietZone = 4 // modules of white border the QR spec asks for

func (s *svgWriter) Write(mat qrcode.Matrix) error {
	bits := mat.Bitmap()
	n := len(bits) + 2*quietZone
	// One rectangle per horizontal run of dark modules: a third of the
	// size of one square per module, the same picture.
	var path strings.Builder
	for y, row := range bits {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			run := 1
			for x+run < len(row) && row[x+run] {
				run++
			}
			fmt.Fprintf(&path, "M%d %dh%dv1h-%dz", x+quietZone, y+quietZone, run, run)
			x += run - 1
		}
	}
	fmt.Fprintf(&s.buf, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-label="QR code to log in with an IOTA wallet">`, n, n)
	fmt.Fprintf(&s.buf, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`, n, n, path.String())
	return nil
}

func (s *svgWriter) Close() error { return nil }

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }
