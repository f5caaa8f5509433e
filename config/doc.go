// Package config owns the YAML configuration file: its schema, defaults and
// validation. Presentation definitions are compiled here (with pex) so a
// broken definition stops the start with a message naming it.
//
// The file is decoded from yaml.v3 nodes (decode.go), so every error is an
// *Error naming the file, the line and the key path as the file spells it
// (session.lifetime, presentation_definitions[0].input_descriptors[0]...),
// validation errors and definition errors included (errors.go).
package config
