// Package jsonx reads the loose shapes that JSON-LD, DID documents and
// verifiable credentials allow for one member — absent, one value, or an
// array of them; a node reference as a string or an object with an id — in
// values decoded by encoding/json. Each caller keeps its own error text;
// jsonx only says what is wrong and where.
//
// It imports nothing of ours, so any package may use it.
package jsonx
