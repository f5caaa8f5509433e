package oauth

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestClosedSet(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New accepted a code outside the set")
		}
	}()
	New(Code("server_errr"), "", "x")
}

func TestCauseHidden(t *testing.T) {
	cause := errors.New("dial tcp 10.0.0.1:443: connection refused")
	e := Invalid("invalid_vp_proof", "presentation 0: the key cannot be resolved").WithCause(cause)
	if strings.Contains(e.Description(), "dial") {
		t.Fatal("cause in description")
	}
	if !errors.Is(e, cause) || !strings.Contains(e.Error(), "dial") {
		t.Fatal("cause lost for the log")
	}
	if e.HTTPStatus() != http.StatusBadRequest || e.Code() != InvalidRequest {
		t.Fatal(e.HTTPStatus(), e.Code())
	}
	wrapped := fmt.Errorf("context: %w", e)
	if As(wrapped) != e || !errors.Is(wrapped, &Error{code: InvalidRequest, reason: "invalid_vp_proof"}) {
		t.Fatal("As / Is")
	}
	if From(cause).Code() != ServerError || From(cause).Description() != "internal error" {
		t.Fatal("From")
	}
}

func TestIssuerCodes(t *testing.T) {
	for code, want := range map[Code]int{
		InvalidGrant: 400, InvalidClient: 401, UnsupportedGrantType: 400,
		InvalidToken: 401, InsufficientScope: 403,
		InvalidCredentialRequest: 400, UnknownCredentialConfiguration: 400, UnknownCredentialIdentifier: 400,
		InvalidProof: 400, InvalidNonce: 400, InvalidEncryptionParameters: 400, CredentialRequestDenied: 400,
	} {
		e := New(code, "", "x")
		if e.HTTPStatus() != want || e.Level() != slog.LevelInfo {
			t.Errorf("%s: status %d level %v, want %d info", code, e.HTTPStatus(), e.Level(), want)
		}
	}
}
