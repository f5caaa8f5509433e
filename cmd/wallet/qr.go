package main

import (
	"fmt"
	"image"
	_ "image/jpeg" // QR codes saved as JPEG
	_ "image/png"
	"os"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// readQR decodes the QR code in an image file with ZXing's Go port
// (github.com/makiuchi-d/gozxing): a maintained decoder, not our own.
func readQR(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return "", fmt.Errorf("%s is not a PNG or JPEG image: %w", path, err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		return "", fmt.Errorf("no QR code found in %s: %w", path, err)
	}
	return res.GetText(), nil
}
