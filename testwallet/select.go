package testwallet

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/loginwithiota/verifier/pex"
)

// Choose picks, with pex's selection, which of the wallet's credentials
// answer the request's presentation definition (honouring its
// submission_requirements, formats and constraints, the wallet's DID as the
// holder), and the presentation_submission for one presentation of them, in
// the order returned.
func (w *Wallet) Choose(r *Request) ([]map[string]any, *pex.Submission, error) {
	raw, err := json.Marshal(r.Definition)
	if err != nil {
		return nil, nil, err
	}
	def, err := pex.ParseDefinition(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("presentation definition: %w", err)
	}
	// pex reads credentials as encoding/json decodes them; the wallet's own
	// maps may hold Go values (an int claim), so select on a decoded copy and
	// present the originals (the same JSON, the same signatures).
	decoded := make([]any, len(w.Credentials))
	for i, c := range w.Credentials {
		b, err := json.Marshal(c)
		if err != nil {
			return nil, nil, err
		}
		if err := json.Unmarshal(b, &decoded[i]); err != nil {
			return nil, nil, err
		}
	}
	sel, err := def.Select(decoded, pex.SelectOptions{
		HolderDIDs:            []string{w.Holder.DID},
		PresentationFormat:    "ldp_vp",
		PresentationProofType: "JcsEd25519Signature2020",
	})
	if err != nil {
		return nil, nil, err
	}
	creds := make([]map[string]any, len(sel.Credentials))
	for i, c := range sel.Credentials {
		if c.Limited != nil {
			// JcsEd25519Signature2020 signs the whole document; it cannot
			// disclose selectively.
			return nil, nil, errors.New("the definition asks for selective disclosure, which this wallet's credentials cannot do")
		}
		creds[i] = w.Credentials[c.Index]
	}
	return creds, sel.Submission, nil
}
