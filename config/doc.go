// Package config owns the YAML configuration file: its schema, defaults and
// validation. Presentation definitions are compiled here (with pex) so a
// broken definition stops the start with a message naming it.
package config
