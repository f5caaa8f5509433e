package did

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// maxDocumentFile bounds a pinned document file.
const maxDocumentFile = 1 << 20

// ReadDocuments reads pinned DID documents from path: a JSON file holding
// one document (or identity.rs's {"doc", "meta"} wrapper, or an array of
// documents), or a directory whose *.json files each do.
func ReadDocuments(path string) ([]*Document, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if info.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, err
		}
		files = files[:0]
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
		slices.Sort(files)
	}
	var docs []*Document
	for _, f := range files {
		d, err := readDocumentFile(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		docs = append(docs, d...)
	}
	return docs, nil
}

func readDocumentFile(path string) ([]*Document, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.Size() > maxDocumentFile {
		return nil, fmt.Errorf("larger than %d bytes", maxDocumentFile)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) != nil {
		list = []json.RawMessage{raw}
	}
	docs := make([]*Document, 0, len(list))
	for i, r := range list {
		d, err := ParseDocument(r)
		if err != nil {
			if len(list) > 1 {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, nil
}
