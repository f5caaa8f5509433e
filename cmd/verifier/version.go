package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version and revision are set at build time, when the build has no VCS
// information of its own (a Docker build without .git):
//
//	go build -ldflags "-X main.version=v1.2.0 -X main.revision=$(git rev-parse HEAD)" ./cmd/verifier
var version, revision string

// buildInfo is what `verifier version`, --version, /healthz and the
// verifier_build_info metric say of this build.
type buildInfo struct {
	Version   string // -X main.version, else the module's version, else "devel"
	Revision  string // vcs.revision (or -X main.revision)
	Time      string // vcs.time
	Modified  bool   // vcs.modified: built from a work tree with changes
	GoVersion string
}

func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Revision: revision, GoVersion: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Revision == "" {
					b.Revision = s.Value
				}
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	if b.Version == "" {
		b.Version = "devel"
	}
	return b
}

// short is the version as /healthz reports it: v1.2.0, or devel+abc1234.
func (b buildInfo) short() string {
	v := b.Version
	if v == "devel" && b.Revision != "" {
		v += "+" + b.Revision[:min(12, len(b.Revision))]
		if b.Modified {
			v += "-modified"
		}
	}
	return v
}

// String is the one line `verifier version` prints.
func (b buildInfo) String() string {
	parts := []string{"verifier " + b.short()}
	if b.Revision != "" {
		parts = append(parts, "revision "+b.Revision)
	}
	if b.Time != "" {
		parts = append(parts, "built from a commit of "+b.Time)
	}
	if b.Modified {
		parts = append(parts, "with uncommitted changes")
	}
	return fmt.Sprintf("%s (%s)", strings.Join(parts, ", "), b.GoVersion)
}
