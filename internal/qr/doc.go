// Package qr renders text (request and offer URIs) as QR codes: PNG for
// wallets that fetch an image, SVG (one path of unit squares) for pages.
// Encoding is yeqown/go-qrcode's; this package only chooses the error
// correction level and draws the SVG, which that library does not.
package qr
