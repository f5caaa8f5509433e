package vci

import "testing"

// FuzzDecodeOffer: any offer object (a QR code is anyone's) decodes or is
// refused without a panic; a decoded one names an issuer URL, its
// configurations and a code.
func FuzzDecodeOffer(f *testing.F) {
	f.Add([]byte(`{"credential_issuer":"https://i.example","credential_configuration_ids":["A"],"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"c","tx_code":{}}}}`))
	f.Add([]byte(`{"credential_issuer":"http://10.0.0.1","credential_configuration_ids":["A","A"]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		o, err := decodeOffer(raw)
		if err != nil {
			return
		}
		if o.CredentialIssuer == "" || len(o.ConfigurationIDs) == 0 || o.PreAuthorizedCode == "" {
			t.Fatalf("%+v", o)
		}
	})
}
