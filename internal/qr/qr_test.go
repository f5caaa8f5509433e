package qr

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
)

// TestPNGDecodes reads the PNG back with another library's decoder (ZXing's
// Go port): what a wallet's camera would do.
func TestPNGDecodes(t *testing.T) {
	text := "openid-credential-offer://?credential_offer_uri=" + strings.Repeat("x", 300)
	raw, err := PNG(text)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.GetText() != text {
		t.Fatalf("decoded %q", res.GetText())
	}
}

func TestSVGEscapesLabel(t *testing.T) {
	raw, err := SVG("x", `a "label" <b>`)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte(`aria-label="a &#34;label&#34; &lt;b&gt;"`)) || !bytes.HasPrefix(raw, []byte("<svg")) {
		t.Fatalf("%s", raw[:200])
	}
}
