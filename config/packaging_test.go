package config

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestProductionConfig: the image's config loads, with the demo off.
func TestProductionConfig(t *testing.T) {
	c, err := Load("../config.production.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Web.Demo || c.Log.Format != "json" || c.Metrics.Listen == "" || c.Audit.Sink != "stdout" || c.Definitions[0].PEX.ID() != "verifiable-id" {
		t.Fatalf("%+v", c)
	}
}

// TestPackagingYAML: compose.yaml and the Kubernetes manifests parse, and
// the config in the ConfigMap loads.
func TestPackagingYAML(t *testing.T) {
	files, _ := filepath.Glob("../deploy/kubernetes/*.yaml")
	files = append(files, "../compose.yaml")
	configs := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(raw))
		for {
			var doc map[string]any
			if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if doc["kind"] == "ConfigMap" {
				data := doc["data"].(map[string]any)
				if _, err := Parse([]byte(data["config.yaml"].(string))); err != nil {
					t.Fatalf("%s: the ConfigMap's config.yaml: %v", f, err)
				}
				configs++
			}
			if doc["kind"] == "Deployment" && !strings.Contains(string(raw), "/readyz") {
				t.Errorf("%s: no readiness probe", f)
			}
		}
	}
	if configs != 1 {
		t.Fatalf("%d ConfigMaps with a config", configs)
	}
}
