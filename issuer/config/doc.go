// Package config is cmd/issuer's YAML file: its schema, defaults and
// validation. Decoding is strict (an unknown key stops the start) and
// every error names the key path it is about
// ("credential_configurations[1].proof_type: ...").
package config
