package iota

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// RPC is the transport: one JSON-RPC call, its result decoded into result
// (as encoding/json does). Errors should wrap ErrRPC. HTTPClient is the
// implementation over net/http; tests and air-gapped setups may bring
// their own.
type RPC interface {
	Call(ctx context.Context, method string, params []any, result any) error
}

// Defaults of HTTPClient.
const (
	DefaultTimeout          = 10 * time.Second
	DefaultMaxResponseBytes = 4 << 20
)

// HTTPClient is a JSON-RPC 2.0 client over HTTP POST. It is safe for
// concurrent use.
type HTTPClient struct {
	endpoint string
	client   *http.Client
	timeout  time.Duration
	maxBytes int64
	nextID   atomic.Uint64
}

var _ RPC = (*HTTPClient)(nil)

// NewHTTPClient returns a client for endpoint. A nil client means
// http.DefaultClient; timeout bounds each call (0: DefaultTimeout);
// maxResponseBytes bounds each response body (0: DefaultMaxResponseBytes).
func NewHTTPClient(endpoint string, client *http.Client, timeout time.Duration, maxResponseBytes int64) *HTTPClient {
	if client == nil {
		client = http.DefaultClient
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	if maxResponseBytes <= 0 {
		maxResponseBytes = DefaultMaxResponseBytes
	}
	return &HTTPClient{endpoint: endpoint, client: client, timeout: timeout, maxBytes: maxResponseBytes}
}

type rpcRequest struct {
	JSONRPC string `json:"jsonrpc"`
	ID      uint64 `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
}

type rpcResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.Number     `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   *RPCError       `json:"error"`
}

// Call posts one request and decodes its result. Transport failures, HTTP
// statuses other than 200, over-long or malformed replies and JSON-RPC
// error objects all wrap ErrRPC (the last also *RPCError).
func (c *HTTPClient) Call(ctx context.Context, method string, params []any, result any) error {
	if params == nil {
		params = []any{}
	}
	id := c.nextID.Add(1)
	body, err := json.Marshal(rpcRequest{JSONRPC: "2.0", ID: id, Method: method, Params: params})
	if err != nil {
		return fmt.Errorf("%w: %s: encode request: %v", ErrRPC, method, err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrRPC, method, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrRPC, method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBytes+1))
	if err != nil {
		return fmt.Errorf("%w: %s: read reply: %w", ErrRPC, method, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%w: %s: HTTP status %d", ErrRPC, method, resp.StatusCode)
	}
	if int64(len(raw)) > c.maxBytes {
		return fmt.Errorf("%w: %s: reply larger than %d bytes", ErrRPC, method, c.maxBytes)
	}
	var r rpcResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return fmt.Errorf("%w: %s: malformed reply: %v", ErrRPC, method, err)
	}
	if r.ID.String() != fmt.Sprint(id) {
		return fmt.Errorf("%w: %s: reply id %q, want %d", ErrRPC, method, clip(r.ID.String()), id)
	}
	if r.Error != nil {
		return fmt.Errorf("%w: %s: %w", ErrRPC, method, r.Error)
	}
	if len(r.Result) == 0 {
		return fmt.Errorf("%w: %s: reply has neither result nor error", ErrRPC, method)
	}
	if err := json.Unmarshal(r.Result, result); err != nil {
		return fmt.Errorf("%w: %s: result: %v", ErrRPC, method, err)
	}
	return nil
}
