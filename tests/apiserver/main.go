// Command crd-apiserver runs a real Kubernetes API server for CustomResourceDefinitions in one
// process: an embedded etcd plus k8s.io/apiextensions-apiserver, with a small discovery stub for
// /api, /api/v1 and /apis. It is a test fixture for the vitistack-rs test suite.
//
// It serves CRDs and custom resources with the exact apiextensions code of kube-apiserver
// (structural schemas, defaulting, pruning, CEL validation, status/scale subresources,
// server-side apply, watch, OpenAPI v2/v3 publishing of CRD schemas). It has no core API
// (no Namespaces, ConfigMaps, RBAC, admission webhooks or garbage collection): namespaced
// custom resources can be created in any namespace name without a Namespace object.
//
// Once /healthz is OK it writes DIR/kubeconfig (atomically): https://127.0.0.1:PORT, the CA of the
// self-signed serving certificate and the loopback bearer token (group system:masters).
//
// Usage: crd-apiserver -dir DIR [-port N] [-parent-pid PID] [-- extra apiextensions-apiserver flags]
package main

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"go.etcd.io/etcd/server/v3/embed"
	noopoteltrace "go.opentelemetry.io/otel/trace/noop"

	extapiserver "k8s.io/apiextensions-apiserver/pkg/apiserver"
	"k8s.io/apiextensions-apiserver/pkg/cmd/server/options"
	generatedopenapi "k8s.io/apiextensions-apiserver/pkg/generated/openapi"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/authorization/authorizerfactory"
	authzpath "k8s.io/apiserver/pkg/authorization/path"
	authzunion "k8s.io/apiserver/pkg/authorization/union"
	openapinamer "k8s.io/apiserver/pkg/endpoints/openapi"
	genericapiserver "k8s.io/apiserver/pkg/server"
	"k8s.io/apiserver/pkg/util/openapi"
	"k8s.io/apiserver/pkg/util/webhook"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/klog/v2"
	netutils "k8s.io/utils/net"
)

// Never contacted for anything that matters: delegated authentication/authorization insist on a
// kubeconfig (the same trick as the upstream integration fixtures). Requests with the loopback
// token (system:masters) never reach the webhooks; the authorizer is replaced by a local one (see
// config); an unknown bearer token fails the TokenReview webhook call and gets 401.
const unusedKubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "http://127.1.2.3:12345"}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none}}]
current-context: none
`

func main() {
	fs := flag.NewFlagSet("crd-apiserver", flag.ExitOnError)
	dir := fs.String("dir", "", "state dir (created if missing): certs, kubeconfig, etcd data (wiped at start, removed at exit) (required)")
	port := fs.Int("port", 0, "secure port on 127.0.0.1 (0 = a free port)")
	parentPID := fs.Int("parent-pid", 0, "shut down when the process with this pid exits (0 = never)")
	_ = fs.Parse(os.Args[1:])
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "crd-apiserver: -dir is required")
		fs.Usage()
		os.Exit(2)
	}
	// Anything after "--" goes to the apiextensions-apiserver flag set (e.g. --feature-gates=..., -v=4).
	if err := run(*dir, *port, *parentPID, fs.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "crd-apiserver:", err)
		os.Exit(1)
	}
	fmt.Println("crd-apiserver: stopped")
}

func run(dir string, port, parentPID int, extraFlags []string) error {
	ctx := genericapiserver.SetupSignalContext() // SIGTERM/SIGINT -> graceful stop; 2nd signal -> exit(1)
	if parentPID > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		if err := watchParent(ctx, parentPID, cancel); err != nil {
			return err
		}
	}

	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	certDir := filepath.Join(dir, "certs")
	if err := os.MkdirAll(certDir, 0o700); err != nil {
		return err
	}
	_ = os.Remove(filepath.Join(dir, "kubeconfig")) // never leave a stale one behind

	fake := filepath.Join(dir, "unused.kubeconfig")
	if err := os.WriteFile(fake, []byte(unusedKubeconfig), 0o600); err != nil {
		return err
	}

	o := options.NewCustomResourceDefinitionsServerOptions(os.Stdout, os.Stderr)
	// No core API: no admission chain (it needs core informers/clients; the only plugins would be
	// NamespaceLifecycle, webhooks and admission policies, all of which need the core API) and no
	// core informers (so no reflector errors against an unreachable server and /readyz is green).
	o.RecommendedOptions.Admission = nil
	o.RecommendedOptions.CoreAPI = nil
	pfs := pflag.NewFlagSet("apiextensions-apiserver", pflag.ContinueOnError)
	o.AddFlags(pfs)
	klogFlags := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(klogFlags) // -v, -vmodule, ...
	pfs.AddGoFlagSet(klogFlags)
	args := []string{
		"--authentication-skip-lookup",
		"--authentication-kubeconfig=" + fake,
		"--authorization-kubeconfig=" + fake,
		"--enable-priority-and-fairness=false",
	}
	if err := pfs.Parse(append(args, extraFlags...)); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return err
	}
	o.RecommendedOptions.SecureServing.Listener = ln
	o.RecommendedOptions.SecureServing.BindAddress = netutils.ParseIPSloppy("127.0.0.1")
	o.RecommendedOptions.SecureServing.BindPort = ln.Addr().(*net.TCPAddr).Port
	o.RecommendedOptions.SecureServing.ServerCert.CertDirectory = certDir // apiserver.crt = leaf + CA
	o.RecommendedOptions.SecureServing.ExternalAddress = netutils.ParseIPSloppy("127.0.0.1")
	// Every start gets a fresh etcd; its data (≈60 MB of preallocated WAL) is removed at exit.
	etcdDir := filepath.Join(dir, "etcd")
	if err := os.RemoveAll(etcdDir); err != nil {
		return err
	}
	defer os.RemoveAll(etcdDir)
	etcdURL, stopEtcd, err := startEtcd(etcdDir)
	if err != nil {
		return err
	}
	defer stopEtcd()

	o.RecommendedOptions.Etcd.StorageConfig.Transport.ServerList = []string{etcdURL}
	if err := o.ServerRunOptions.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	if err := o.Complete(); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	cfg, err := config(o)
	if err != nil {
		return err
	}

	disc := &rootDiscovery{} // serves /api, /api/v1, /apis; 404 otherwise
	srv, err := cfg.Complete().New(genericapiserver.NewEmptyDelegateWithCustomHandler(disc))
	if err != nil {
		return err
	}
	lister := srv.Informers.Apiextensions().V1().CustomResourceDefinitions().Lister()
	disc.crds.Store(&lister)

	errCh := make(chan error, 1)
	go func() { errCh <- srv.GenericAPIServer.PrepareRun().RunWithContext(ctx) }()

	lb := srv.GenericAPIServer.LoopbackClientConfig // Host https://127.0.0.1:PORT + system:masters token
	if err := waitHealthz(ctx, lb, errCh); err != nil {
		return err
	}
	host := "https://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(o.RecommendedOptions.SecureServing.BindPort))
	if err := writeKubeconfig(dir, host, lb.BearerToken, filepath.Join(certDir, "apiserver.crt")); err != nil {
		return err
	}
	fmt.Printf("crd-apiserver: ready at %s (kubeconfig %s)\n", host, filepath.Join(dir, "kubeconfig"))
	err = <-errCh
	fmt.Println("crd-apiserver: apiserver stopped, stopping etcd (its errors about closed connections are expected)")
	_ = os.Remove(filepath.Join(dir, "kubeconfig"))
	return err
}

// config is options.CustomResourceDefinitionsServerOptions.Config() without the core API, plus
// OpenAPIConfig (v2) like the upstream StartTestServer: the CRD OpenAPI controllers (which publish
// CRD schemas under /openapi/v2 and /openapi/v3) only start when StaticOpenAPISpec exists.
func config(o *options.CustomResourceDefinitionsServerOptions) (*extapiserver.Config, error) {
	if err := o.RecommendedOptions.SecureServing.MaybeDefaultWithSelfSignedCerts("localhost", nil,
		[]net.IP{netutils.ParseIPSloppy("127.0.0.1")}); err != nil {
		return nil, fmt.Errorf("error creating self-signed certificates: %w", err)
	}
	serverConfig := genericapiserver.NewRecommendedConfig(extapiserver.Codecs)
	if err := o.ServerRunOptions.ApplyTo(&serverConfig.Config); err != nil {
		return nil, err
	}
	if err := o.RecommendedOptions.ApplyTo(serverConfig); err != nil {
		return nil, err
	}
	if err := o.APIEnablement.ApplyTo(&serverConfig.Config, extapiserver.DefaultAPIResourceConfigSource(), extapiserver.Scheme); err != nil {
		return nil, err
	}
	// The delegating authorizer would ask an (unreachable) SubjectAccessReview webhook about every
	// request not from system:masters, answering 500. Decide locally instead: system:masters (the
	// kubeconfig token) may do everything, anyone may read the health and version endpoints (as
	// system:public-info-viewer allows), everything else is 403.
	publicPaths, err := authzpath.NewAuthorizer([]string{"/healthz", "/healthz/*", "/livez", "/livez/*", "/readyz", "/readyz/*", "/version", "/version/"})
	if err != nil {
		return nil, err
	}
	serverConfig.Authorization.Authorizer, err = authzunion.New(
		authzunion.NamedAuthorizer{AuthorizerName: "privileged-groups", Authorizer: authorizerfactory.NewPrivilegedGroups(user.SystemPrivilegedGroup)},
		authzunion.NamedAuthorizer{AuthorizerName: "public-paths", Authorizer: publicPaths},
		authzunion.NamedAuthorizer{AuthorizerName: "deny", Authorizer: authorizerfactory.NewAlwaysDenyAuthorizer()},
	)
	if err != nil {
		return nil, err
	}
	defs := openapi.GetOpenAPIDefinitionsWithoutDisabledFeatures(generatedopenapi.GetOpenAPIDefinitions)
	serverConfig.OpenAPIV3Config = genericapiserver.DefaultOpenAPIV3Config(defs,
		openapinamer.NewDefinitionNamer(extapiserver.Scheme, scheme.Scheme))
	serverConfig.OpenAPIConfig = genericapiserver.DefaultOpenAPIConfig(defs,
		openapinamer.NewDefinitionNamer(extapiserver.Scheme))
	return &extapiserver.Config{
		GenericConfig: serverConfig,
		ExtraConfig: extapiserver.ExtraConfig{
			CRDRESTOptionsGetter: options.NewCRDRESTOptionsGetter(*o.RecommendedOptions.Etcd,
				serverConfig.ResourceTransformers, serverConfig.StorageObjectCountTracker),
			ServiceResolver: noServices{},
			AuthResolverWrapper: webhook.NewDefaultAuthenticationInfoResolverWrapper(nil, nil,
				serverConfig.LoopbackClientConfig, noopoteltrace.NewTracerProvider()),
		},
	}, nil
}

// noServices resolves no Service: conversion webhooks must use clientConfig.url.
type noServices struct{}

func (noServices) ResolveEndpoint(namespace, name string, port int32) (*url.URL, error) {
	return nil, fmt.Errorf("crd-apiserver has no core API: cannot resolve service %s/%s; use clientConfig.url", namespace, name)
}

func startEtcd(dataDir string) (string, func(), error) {
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ { // free ports are picked racily: retry on a clash
		cu := url.URL{Scheme: "http", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort()))}
		pu := url.URL{Scheme: "http", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(freePort()))}
		c := embed.NewConfig()
		c.Dir = dataDir
		c.UnsafeNoFsync = true // throw-away test data
		c.LogLevel = "error"
		c.ListenClientUrls, c.AdvertiseClientUrls = []url.URL{cu}, []url.URL{cu}
		c.ListenPeerUrls, c.AdvertisePeerUrls = []url.URL{pu}, []url.URL{pu}
		c.InitialCluster = c.InitialClusterFromName(c.Name)
		e, err := embed.StartEtcd(c)
		if err != nil {
			lastErr = err
			if strings.Contains(err.Error(), "address already in use") {
				_ = os.RemoveAll(dataDir)
				continue
			}
			return "", nil, fmt.Errorf("embedded etcd: %w", err)
		}
		select {
		case <-e.Server.ReadyNotify():
			return cu.String(), e.Close, nil
		case err := <-e.Err():
			e.Close()
			return "", nil, fmt.Errorf("embedded etcd: %w", err)
		case <-time.After(60 * time.Second):
			e.Close()
			return "", nil, errors.New("embedded etcd not ready after 60s")
		}
	}
	return "", nil, fmt.Errorf("embedded etcd: %w", lastErr)
}

func freePort() int { // small race, same approach as k8s.io/apiserver etcd3/testserver
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// watchParent cancels ctx once process pid is gone (or was replaced by a new process with the
// same pid, detected through its start time in /proc/PID/stat).
func watchParent(ctx context.Context, pid int, cancel context.CancelFunc) error {
	start, err := procStartTime(pid)
	if err != nil {
		return fmt.Errorf("-parent-pid %d: %w", pid, err)
	}
	go func() {
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if s, err := procStartTime(pid); err != nil || s != start {
				fmt.Fprintf(os.Stderr, "crd-apiserver: parent process %d is gone, shutting down\n", pid)
				cancel()
				go func() { // never outlive the parent by much, even if a graceful stop hangs
					time.Sleep(30 * time.Second)
					fmt.Fprintln(os.Stderr, "crd-apiserver: graceful shutdown took >30s, exiting")
					os.Exit(1)
				}()
				return
			}
		}
	}()
	return nil
}

func procStartTime(pid int) (string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return "", err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // comm may contain spaces and parentheses
	if i < 0 {
		return "", fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	f := strings.Fields(s[i+1:])
	// after comm: state(3) ppid(4) ... starttime is field 22 overall, i.e. index 19 here.
	if len(f) < 20 {
		return "", fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	if f[0] == "Z" || f[0] == "X" { // zombie / dead
		return "", fmt.Errorf("process %d has exited", pid)
	}
	return f[19], nil
}

func waitHealthz(ctx context.Context, lb *rest.Config, errCh <-chan error) error {
	cs, err := kubernetes.NewForConfig(lb)
	if err != nil {
		return err
	}
	var lastBody string
	err = wait.PollUntilContextTimeout(ctx, 100*time.Millisecond, 80*time.Second, true,
		func(ctx context.Context) (bool, error) {
			select {
			case err := <-errCh:
				return false, fmt.Errorf("apiserver exited: %v", err)
			default:
			}
			code := 0
			body, _ := cs.CoreV1().RESTClient().Get().AbsPath("/healthz").Param("verbose", "1").Do(ctx).StatusCode(&code).Raw()
			lastBody = string(body)
			return code == 200, nil
		})
	if err != nil {
		return fmt.Errorf("waiting for /healthz: %w\n%s", err, lastBody)
	}
	return nil
}

// writeKubeconfig writes DIR/kubeconfig atomically: server https://127.0.0.1:PORT, the CA of the
// self-signed serving cert (SANs localhost, 127.0.0.1), bearer token = loopback token (system:masters).
func writeKubeconfig(dir, host, token, servingBundle string) error {
	bundle, err := os.ReadFile(servingBundle)
	if err != nil {
		return err
	}
	var caPEM []byte
	for remaining := bundle; ; {
		var b *pem.Block
		if b, remaining = pem.Decode(remaining); b == nil {
			break
		}
		if c, err := x509.ParseCertificate(b.Bytes); err == nil && c.IsCA {
			caPEM = pem.EncodeToMemory(b)
		}
	}
	if caPEM == nil {
		return fmt.Errorf("no CA certificate in %s", servingBundle)
	}
	kc := clientcmdapi.NewConfig()
	kc.Clusters["crd-apiserver"] = &clientcmdapi.Cluster{Server: host, CertificateAuthorityData: caPEM}
	kc.AuthInfos["admin"] = &clientcmdapi.AuthInfo{Token: token}
	kc.Contexts["crd-apiserver"] = &clientcmdapi.Context{Cluster: "crd-apiserver", AuthInfo: "admin", Namespace: "default"}
	kc.CurrentContext = "crd-apiserver"
	tmp := filepath.Join(dir, ".kubeconfig.tmp")
	if err := clientcmd.WriteToFile(*kc, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, "kubeconfig"))
}
