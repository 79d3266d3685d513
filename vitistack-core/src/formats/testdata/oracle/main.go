// Differential oracle for vitistack-types/src/formats: runs the real
// apiserver code (resource.ParseQuantity, the CEL IP/CIDR/URL/quantity
// libraries, validation.IsDNS1123*, time.ParseDuration, Go RE2) on inputs.
//
// Regenerate the golden files (from this directory, Go 1.26):
//
//	go mod init oracle
//	go get k8s.io/apimachinery@v0.37.2 k8s.io/apiserver@v0.37.2 github.com/google/cel-go@v0.29.2
//	go mod tidy && go build -o /tmp/oracle .
//	jq -r '.[0] | tojson' ../go_oracle.jsonl | /tmp/oracle golden \
//	    "$MAC_PATTERN" "$DURATION_PATTERN" "$RFC1123_LABEL_PATTERN" \
//	    "$RFC1123_SUBDOMAIN_PATTERN" "$HTTP_URL_PATTERN" "$PORT_RANGE_PATTERN" > new.jsonl
//	jq -c '[.[0], .[1]]' ../go_oracle_cmp.jsonl | /tmp/oracle cmp > new_cmp.jsonl
//
// (the patterns are the Rust constants, in that order). Golden row format:
// [input, [mantissa, exp10] of ParseQuantity or null, CEL isIP, CEL isCIDR,
// isCIDR && cidr == cidr.masked(), ParseDuration ns or null, CEL http(s) URL
// rule, IsDNS1123Label, IsDNS1123Subdomain, RE2 match bits of the patterns].
// Inputs on which ParseQuantity panics or runs for more than 3 s are skipped.
package main

import (
	"bufio"
	"encoding/json"
	"math/big"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apiserver/pkg/cel/library"
)

var env *cel.Env
var progs = map[string]cel.Program{}

func prog(expr string) cel.Program {
	if p, ok := progs[expr]; ok {
		return p
	}
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		panic(iss.Err())
	}
	p, err := env.Program(ast)
	if err != nil {
		panic(err)
	}
	progs[expr] = p
	return p
}

func evalBool(expr string, vars map[string]any) bool {
	out, _, err := prog(expr).Eval(vars)
	if err != nil {
		return false
	}
	b, ok := out.(types.Bool)
	return ok && bool(b)
}

type Q struct {
	Ok       bool   `json:"ok"`
	Err      string `json:"err,omitempty"`
	Unscaled string `json:"m,omitempty"`
	Scale    int32  `json:"scale"`
}

type Out struct {
	In        string          `json:"in"`
	Quantity  *Q              `json:"q,omitempty"`
	IsQ       bool            `json:"isq"`
	IP        bool            `json:"ip"`
	IPGo      bool            `json:"ipgo"`
	CIDR      bool            `json:"cidr"`
	CIDRCanon bool            `json:"cidrcanon"`
	DurOk     bool            `json:"dur"`
	DurNs     int64           `json:"durns"`
	URL       bool            `json:"url"`
	IsURL     bool            `json:"isurl"`
	Label     bool            `json:"label"`
	Sub       bool            `json:"sub"`
	Pat       map[string]bool `json:"pat"`
}

func quantity(s string) *Q {
	ch := make(chan *Q, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- &Q{Ok: false, Err: "PANIC"}
			}
		}()
		q, err := resource.ParseQuantity(s)
		if err != nil {
			ch <- &Q{Ok: false, Err: err.Error()}
			return
		}
		d := q.AsDec()
		ch <- &Q{Ok: true, Unscaled: d.UnscaledBig().String(), Scale: int32(d.Scale())}
	}()
	select {
	case r := <-ch:
		return r
	case <-time.After(3 * time.Second):
		return &Q{Ok: false, Err: "TIMEOUT"}
	}
}

func main() {
	var err error
	env, err = cel.NewEnv(cel.Variable("s", cel.StringType), cel.Variable("a", cel.StringType), cel.Variable("b", cel.StringType),
		library.IP(), library.CIDR(), library.URLs(), library.Quantity())
	if err != nil {
		panic(err)
	}
	mode := "check"
	if len(os.Args) > 1 {
		mode = os.Args[1]
	}
	pats := map[string]*regexp.Regexp{}
	if mode == "check" || mode == "golden" {
		for _, p := range os.Args[2:] {
			pats[p] = regexp.MustCompile(p)
		}
	}
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for sc.Scan() {
		if mode == "cmp" {
			var pair [2]string
			if err := json.Unmarshal(sc.Bytes(), &pair); err != nil {
				panic(err)
			}
			out, _, err := prog("quantity(a).compareTo(quantity(b))").Eval(map[string]any{"a": pair[0], "b": pair[1]})
			if err != nil {
				row, _ := json.Marshal([]any{pair[0], pair[1], "err"})
				w.Write(row)
				w.WriteString("\n")
				continue
			}
			row, _ := json.Marshal([]any{pair[0], pair[1], out.Value()})
			w.Write(row)
			w.WriteString("\n")
			continue
		}
		var s string
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			panic(err)
		}
		vars := map[string]any{"s": s}
		o := Out{In: s, Pat: map[string]bool{}}
		o.Quantity = quantity(s)
		if o.Quantity.Err != "TIMEOUT" {
			o.IsQ = evalBool("isQuantity(s)", vars)
		}
		o.IP = evalBool("isIP(s)", vars)
		_, e := netip.ParseAddr(s)
		o.IPGo = e == nil
		o.CIDR = evalBool("isCIDR(s)", vars)
		o.CIDRCanon = evalBool("isCIDR(s) && cidr(s) == cidr(s).masked()", vars)
		d, e := time.ParseDuration(s)
		o.DurOk = e == nil
		o.DurNs = int64(d)
		o.URL = evalBool("isURL(s) && url(s).getScheme() in ['http', 'https'] && url(s).getHostname() != ''", vars)
		_, e = url.ParseRequestURI(s)
		o.IsURL = e == nil
		o.Label = len(validation.IsDNS1123Label(s)) == 0
		o.Sub = len(validation.IsDNS1123Subdomain(s)) == 0
		for p, re := range pats {
			o.Pat[p] = re.MatchString(s)
		}
		if mode == "golden" {
			if o.Quantity.Err == "TIMEOUT" || o.Quantity.Err == "PANIC" {
				continue
			}
			var qv any
			if o.Quantity.Ok {
				m, _ := new(big.Int).SetString(o.Quantity.Unscaled, 10)
				e := -int64(o.Quantity.Scale)
				ten := big.NewInt(10)
				if m.Sign() == 0 {
					e = 0
				}
				for m.Sign() != 0 {
					q, r := new(big.Int).QuoRem(m, ten, new(big.Int))
					if r.Sign() != 0 {
						break
					}
					m, e = q, e+1
				}
				if len(m.String()) > 60 {
					continue
				}
				qv = []any{m.String(), e}
			}
			var dur any
			if o.DurOk {
				dur = o.DurNs
			}
			bits := ""
			for _, p := range os.Args[2:] {
				if o.Pat[p] {
					bits += "1"
				} else {
					bits += "0"
				}
			}
			row, _ := json.Marshal([]any{s, qv, o.IP, o.CIDR, o.CIDRCanon, dur, o.URL, o.Label, o.Sub, bits})
			w.Write(row)
			w.WriteString("\n")
			continue
		}
		enc.Encode(o)
	}
}
