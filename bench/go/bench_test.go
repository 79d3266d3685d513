package bench

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"
)

// repoRoot is the workspace root, two levels up from bench/go.
const repoRoot = "../.."

// kindCase is one kind of the comparison: its example, its CRD file and a fresh typed value.
type kindCase struct {
	name    string
	example string
	crd     string
	new     func() interface{}
}

var kinds = []kindCase{
	{"Machine", "examples/machine.yaml", "crds/vitistack.io_machines.yaml",
		func() interface{} { return &Machine{} }},
	{"NetworkConfiguration", "examples/networkconfiguration.yaml", "crds/vitistack.io_networkconfigurations.yaml",
		func() interface{} { return &NetworkConfiguration{} }},
}

func readFile(tb testing.TB, rel string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, rel))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// typed parses the example strictly into the Go struct: a field the struct lacks is an error,
// so the structs cover the whole example.
func typed(tb testing.TB, k kindCase) interface{} {
	tb.Helper()
	obj := k.new()
	if err := yaml.UnmarshalStrict(readFile(tb, k.example), obj); err != nil {
		tb.Fatalf("%s: %v", k.example, err)
	}
	return obj
}

func unstructuredOf(tb testing.TB, k kindCase) map[string]interface{} {
	tb.Helper()
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(typed(tb, k))
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

// validator is the apiserver's validation of a custom resource on create
// (k8s.io/apiextensions-apiserver/pkg/registry/customresource: customResourceStrategy.Validate):
// the OpenAPI schema validator, the list-type invariants, then the CEL rules.
type validator struct {
	schema     apiservervalidation.SchemaValidator
	structural *structuralschema.Structural
	cel        *cel.Validator
}

func newValidator(tb testing.TB, crdFile string) *validator {
	tb.Helper()
	var crd apiextensionsv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(readFile(tb, crdFile), &crd); err != nil {
		tb.Fatalf("%s: %v", crdFile, err)
	}
	v1 := crd.Spec.Versions[0].Schema
	internal := &apiextensionsinternal.CustomResourceValidation{}
	if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(v1, internal, nil); err != nil {
		tb.Fatal(err)
	}
	schemaValidator, _, err := apiservervalidation.NewSchemaValidator(internal.OpenAPIV3Schema)
	if err != nil {
		tb.Fatal(err)
	}
	structural, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
	if err != nil {
		tb.Fatal(err)
	}
	celValidator := cel.NewValidator(structural, true, celconfig.PerCallLimit)
	if celValidator == nil {
		tb.Fatalf("%s: no CEL rules compiled", crdFile)
	}
	return &validator{schema: schemaValidator, structural: structural, cel: celValidator}
}

func (v *validator) validate(ctx context.Context, obj map[string]interface{}) field.ErrorList {
	errs := apiservervalidation.ValidateCustomResource(nil, obj, v.schema)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, v.structural, obj)...)
	// hasBlockingErr of customresource/strategy.go: these skip the CEL rules.
	blocking := false
	for _, e := range errs {
		switch e.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong,
			field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			blocking = true
		}
	}
	if !blocking {
		celErrs, _ := v.cel.Validate(ctx, nil, v.structural, obj, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	return errs
}

// normalize round-trips through JSON, so numbers and nils compare equal.
func normalize(tb testing.TB, v interface{}) interface{} {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	var out interface{}
	if err := json.Unmarshal(b, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestSameShape: the Go structs carry every field of the examples, and converting to
// unstructured gives back exactly the example (apart from the creationTimestamp: null that
// ObjectMeta always adds).
func TestSameShape(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			u := unstructuredOf(t, k)
			meta := u["metadata"].(map[string]interface{})
			if ts, ok := meta["creationTimestamp"]; ok && ts == nil {
				delete(meta, "creationTimestamp")
			}
			var want interface{}
			if err := yaml.Unmarshal(readFile(t, k.example), &want); err != nil {
				t.Fatal(err)
			}
			if got := normalize(t, u); !reflect.DeepEqual(normalize(t, want), got) {
				t.Fatalf("round trip differs:\nwant %v\n got %v", want, got)
			}
			back := k.new()
			if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u, back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, typed(t, k)) {
				t.Fatal("FromUnstructured(ToUnstructured(x)) != x")
			}
		})
	}
}

// TestValidator: the examples pass; a schema violation and a CEL violation are both caught.
func TestValidator(t *testing.T) {
	ctx := context.Background()
	for _, k := range kinds {
		v := newValidator(t, k.crd)
		if errs := v.validate(ctx, unstructuredOf(t, k)); len(errs) > 0 {
			t.Fatalf("%s: example invalid: %v", k.name, errs)
		}
	}
	nc := unstructuredOf(t, kinds[1])
	v := newValidator(t, kinds[1].crd)
	nc["spec"].(map[string]interface{})["vlan"] = int64(5000)
	if errs := v.validate(ctx, nc); len(errs) == 0 {
		t.Fatal("vlan 5000 accepted")
	}
	nc = unstructuredOf(t, kinds[1])
	nc["spec"].(map[string]interface{})["ipam"].(map[string]interface{})["type"] = "static"
	if errs := v.validate(ctx, nc); len(errs) == 0 {
		t.Fatal("CEL rule (dhcp needs ipam.type kea) not enforced")
	}
	m := unstructuredOf(t, kinds[0])
	mv := newValidator(t, kinds[0].crd)
	boot := m["spec"].(map[string]interface{})["boot"].(map[string]interface{})
	boot["firmware"].(map[string]interface{})["type"] = "bios"
	if errs := mv.validate(ctx, m); len(errs) == 0 {
		t.Fatal("CEL rule (secureBoot needs uefi) not enforced")
	}
}

var sink interface{}

func BenchmarkToUnstructured(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			obj := typed(b, k)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
				if err != nil {
					b.Fatal(err)
				}
				sink = u
			}
		})
	}
}

func BenchmarkFromUnstructured(b *testing.B) {
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			u := unstructuredOf(b, k)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				out := k.new()
				if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u, out); err != nil {
					b.Fatal(err)
				}
				sink = out
			}
		})
	}
}

func BenchmarkValidate(b *testing.B) {
	ctx := context.Background()
	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			v := newValidator(b, k.crd)
			u := unstructuredOf(b, k)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if errs := v.validate(ctx, u); len(errs) > 0 {
					b.Fatal(errs)
				}
			}
		})
	}
}
