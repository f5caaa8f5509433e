package pex

import (
	"errors"
	"fmt"
	"time"
)

// Date comparisons in filters. JSON Schema draft 7 cannot compare dates, and
// presentation definitions in the wild (the DIF spec's own examples
// included) write "format": "date", "formatMaximum": "1999-05-16" — the
// ajv-formats keywords that the JavaScript engines implement. Draft 7 alone
// would ignore them and accept every date: an age check that lets everyone
// through. So this package implements them, for the formats "date" (RFC 3339
// full-date) and "date-time" (RFC 3339), at the top level of a filter; a
// filter that uses them anywhere else, or on another format, is refused at
// load rather than silently ignored.

var boundKeywords = []struct {
	name           string
	upper, exclude bool
}{
	{"formatMinimum", false, false},
	{"formatExclusiveMinimum", false, true},
	{"formatMaximum", true, false},
	{"formatExclusiveMaximum", true, true},
}

// formatBound is one compiled comparison.
type formatBound struct {
	keyword        string
	format         string // "date" or "date-time"
	literal        string // as written, for messages
	at             time.Time
	upper, exclude bool
}

func compileFormatBounds(obj map[string]any) ([]formatBound, error) {
	var bounds []formatBound
	format, _ := obj["format"].(string)
	for _, kw := range boundKeywords {
		v, ok := obj[kw.name]
		if !ok {
			continue
		}
		if format != "date" && format != "date-time" {
			return nil, fmt.Errorf("%s needs \"format\": \"date\" or \"date-time\" beside it", kw.name)
		}
		s, isStr := v.(string)
		if !isStr {
			return nil, fmt.Errorf("%s must be a string in format %s", kw.name, format)
		}
		at, ok := parseFormat(format, s)
		if !ok {
			return nil, fmt.Errorf("%s %s is not a valid %s", kw.name, quote(s), format)
		}
		bounds = append(bounds, formatBound{keyword: kw.name, format: format, literal: s, at: at, upper: kw.upper, exclude: kw.exclude})
	}
	for k, v := range obj {
		if err := noNestedBounds(v, 0); err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
	}
	return bounds, nil
}

// noNestedBounds refuses the comparison keywords below the top level.
func noNestedBounds(v any, depth int) error {
	if depth > maxDepth {
		return errors.New("filter nested too deeply")
	}
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if _, isStr := child.(string); isStr {
				for _, kw := range boundKeywords {
					if k == kw.name {
						return fmt.Errorf("%s is supported only at the top level of a filter", k)
					}
				}
			}
			if err := noNestedBounds(child, depth+1); err != nil {
				return err
			}
		}
	case []any:
		for _, child := range t {
			if err := noNestedBounds(child, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

func parseFormat(format, s string) (time.Time, bool) {
	layout := time.RFC3339 // also reads fractional seconds
	if format == "date" {
		layout = time.DateOnly
	}
	t, err := time.Parse(layout, s)
	return t, err == nil
}

// checkFormatBounds applies the comparisons to v, which has already passed
// the schema (so a string there is of the format, if the schema says so).
// Like ajv-formats, they apply to strings only.
func checkFormatBounds(bounds []formatBound, v any) string {
	if len(bounds) == 0 {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		return ""
	}
	for i := range bounds {
		b := &bounds[i]
		t, ok := parseFormat(b.format, s)
		if !ok {
			return fmt.Sprintf("Does not match format '%s' (needed by %s)", b.format, b.keyword)
		}
		var bad bool
		switch {
		case b.upper && b.exclude:
			bad = !t.Before(b.at)
		case b.upper:
			bad = t.After(b.at)
		case b.exclude:
			bad = !t.After(b.at)
		default:
			bad = t.Before(b.at)
		}
		if bad {
			return fmt.Sprintf("Must be %s %s (%s)", relation(b), b.literal, b.keyword)
		}
	}
	return ""
}

func relation(b *formatBound) string {
	switch {
	case b.upper && b.exclude:
		return "before"
	case b.upper:
		return "on or before"
	case b.exclude:
		return "after"
	}
	return "on or after"
}
