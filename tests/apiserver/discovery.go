package main

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"

	"k8s.io/apiextensions-apiserver/pkg/apihelpers"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	extlisters "k8s.io/apiextensions-apiserver/pkg/client/listers/apiextensions/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/version"
)

// rootDiscovery serves what the standalone apiextensions-apiserver lacks (its Config.Complete()
// disables the generic discovery): /api, /api/v1 and /apis. The crdHandler answers /apis/<g> and
// /apis/<g>/<v> itself and delegates everything else here. This makes kube-rs Discovery::run()
// and kubectl discovery work (legacy, non-aggregated discovery only).
type rootDiscovery struct {
	crds atomic.Pointer[extlisters.CustomResourceDefinitionLister]
}

func (d *rootDiscovery) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var obj any
	switch p := strings.TrimSuffix(r.URL.Path, "/"); {
	case r.Method != http.MethodGet:
		http.NotFound(w, r)
		return
	case p == "/api": // kube-rs needs >=1 core version, else EmptyApiGroup
		obj = &metav1.APIVersions{TypeMeta: metav1.TypeMeta{Kind: "APIVersions"}, Versions: []string{"v1"},
			ServerAddressByClientCIDRs: []metav1.ServerAddressByClientCIDR{{ClientCIDR: "0.0.0.0/0", ServerAddress: r.Host}}}
	case p == "/api/v1": // honest: no core resources here
		obj = &metav1.APIResourceList{TypeMeta: metav1.TypeMeta{Kind: "APIResourceList", APIVersion: "v1"},
			GroupVersion: "v1", APIResources: []metav1.APIResource{}}
	case p == "/apis":
		obj = d.groups()
	default:
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(obj)
}

func gv(g, v string) metav1.GroupVersionForDiscovery {
	return metav1.GroupVersionForDiscovery{GroupVersion: g + "/" + v, Version: v}
}

// groups lists apiextensions.k8s.io/v1 plus every Established CRD group with its served
// versions, preferred (highest kube-aware version) first, like the upstream discovery controller.
func (d *rootDiscovery) groups() *metav1.APIGroupList {
	const ext = "apiextensions.k8s.io"
	out := &metav1.APIGroupList{TypeMeta: metav1.TypeMeta{Kind: "APIGroupList", APIVersion: "v1"},
		Groups: []metav1.APIGroup{{Name: ext, Versions: []metav1.GroupVersionForDiscovery{gv(ext, "v1")}, PreferredVersion: gv(ext, "v1")}}}
	l := d.crds.Load()
	if l == nil {
		return out
	}
	crds, err := (*l).List(labels.Everything())
	if err != nil {
		return out
	}
	served := map[string]map[string]bool{}
	for _, crd := range crds {
		if !apihelpers.IsCRDConditionTrue(crd, apiextensionsv1.Established) {
			continue
		}
		for _, v := range crd.Spec.Versions {
			if v.Served {
				if served[crd.Spec.Group] == nil {
					served[crd.Spec.Group] = map[string]bool{}
				}
				served[crd.Spec.Group][v.Name] = true
			}
		}
	}
	names := make([]string, 0, len(served))
	for g := range served {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		vs := make([]string, 0, len(served[g]))
		for v := range served[g] {
			vs = append(vs, v)
		}
		sort.Slice(vs, func(i, j int) bool { return version.CompareKubeAwareVersionStrings(vs[i], vs[j]) > 0 })
		grp := metav1.APIGroup{Name: g, PreferredVersion: gv(g, vs[0])}
		for _, v := range vs {
			grp.Versions = append(grp.Versions, gv(g, v))
		}
		out.Groups = append(out.Groups, grp)
	}
	return out
}
