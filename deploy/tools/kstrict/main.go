// kstrict: strict decoding of rendered manifests into the real Kubernetes Go API types (k8s.io/api via client-go's
// scheme), the way the API server's strict field validation does: an unknown or duplicated field, or a value of the
// wrong type, is an error. Complements deploy/tools/validate.mjs (OpenAPI types, formats, required fields).
// Kinds outside the built-in API groups (ServiceMonitor, Strimzi, CloudNativePG, MongoDB CRs) are reported as
// "skipped" and left to validate.mjs. Usage: kstrict < rendered.yaml ; exit 1 on any error.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"
)

func main() {
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	reader := utilyaml.NewYAMLReader(bufio.NewReader(os.Stdin))
	checked, skipped, failed := 0, 0, 0
	for {
		doc, err := reader.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Printf("FAIL read: %v\n", err)
			os.Exit(1)
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			fmt.Printf("FAIL unparsable document: %v\n", err)
			failed++
			continue
		}
		if meta.APIVersion == "" && meta.Kind == "" {
			continue // comment-only document
		}
		id := fmt.Sprintf("%s %s %s", meta.APIVersion, meta.Kind, meta.Metadata.Name)
		jsonDoc, err := yaml.YAMLToJSON(doc)
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", id, err)
			failed++
			continue
		}
		_, gvk, err := decoder.Decode(jsonDoc, nil, nil)
		if err != nil && gvk != nil && !scheme.Scheme.Recognizes(*gvk) {
			fmt.Printf("skip %s: not a built-in kind\n", id)
			skipped++
			continue
		}
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", id, err)
			failed++
			continue
		}
		fmt.Printf("ok   %s\n", id)
		checked++
	}
	fmt.Printf("%d strictly valid, %d invalid, %d skipped (not built-in)\n", checked, failed, skipped)
	if failed > 0 || checked == 0 {
		os.Exit(1)
	}
}
