// Command test-apiserver runs what envtest runs, in one process: an embedded etcd and the real
// kube-apiserver of Kubernetes (k8s.io/kubernetes/cmd/kube-apiserver, built from the Go modules).
// It is the test fixture of the vitistack-rs test suite and of `make apiserver`.
//
// It serves the whole Kubernetes API (core, RBAC, coordination, apiextensions, admission) with
// RBAC authorization and real TLS: a fresh CA signs the serving certificate (SANs localhost,
// 127.0.0.1) and the client certificate of the admin (CN vitistack-admin, group system:masters,
// so it may impersonate). No controllers run (there is no kube-controller-manager): namespace
// deletion never finishes and no pod is scheduled.
//
// Once /readyz is OK and the default namespace exists it writes DIR/kubeconfig (atomically): the
// server https://127.0.0.1:PORT, the CA, and the admin's client certificate and key.
// SIGTERM or SIGINT stop it gracefully; SIGUSR1 compacts etcd at its current revision, so that a
// watch from an older resourceVersion gets 410 Gone (tests provoke it with `kill -USR1`).
//
// With -keep-state a start reuses what an earlier -keep-state start left in DIR (the CA and
// every certificate and key, the etcd data, the port), and the etcd data outlives the stop: the
// same server restarted, to its clients as to a cluster's apiserver restarting.
//
// Usage: test-apiserver -dir DIR [-port N] [-parent-pid PID] [-keep-state] [-- extra kube-apiserver flags]
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/server/v3/embed"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

// adminUser is the common name of the admin's client certificate (group system:masters).
const adminUser = "vitistack-admin"

func main() {
	fs := flag.NewFlagSet("test-apiserver", flag.ExitOnError)
	dir := fs.String("dir", "", "state dir (created if missing): certs, kubeconfig, etcd data (wiped at start, removed at exit) (required)")
	port := fs.Int("port", 0, "secure port on 127.0.0.1 (0 = a free port)")
	parentPID := fs.Int("parent-pid", 0, "shut down when the process with this pid exits (0 = never)")
	keep := fs.Bool("keep-state", false, "restartable: reuse DIR's certificates, etcd data and port when present, keep the etcd data at exit")
	_ = fs.Parse(os.Args[1:])
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "test-apiserver: -dir is required")
		fs.Usage()
		os.Exit(2)
	}
	code, err := run(*dir, *port, *parentPID, *keep, fs.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "test-apiserver:", err)
		os.Exit(1)
	}
	fmt.Println("test-apiserver: stopped")
	os.Exit(code)
}

// run starts etcd, then kube-apiserver in this process (its command installs the SIGTERM/SIGINT
// handler that stops it gracefully), writes the kubeconfig once it is ready and returns the
// apiserver's exit code once it has stopped. With keep, the state of an earlier start is reused
// and the etcd data kept.
func run(dir string, port, parentPID int, keep bool, extraFlags []string) (int, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return 0, err
	}
	certDir := filepath.Join(dir, "certs")
	if err := os.MkdirAll(certDir, 0o700); err != nil {
		return 0, err
	}
	_ = os.Remove(filepath.Join(dir, "kubeconfig")) // never leave a stale one behind
	if parentPID > 0 {
		if err := watchParent(parentPID); err != nil {
			return 0, err
		}
	}
	var creds *credentials
	if keep {
		creds, _ = loadPKI(certDir) // none yet: a first start
	}
	if creds == nil {
		creds, err = writePKI(certDir)
	}
	if err != nil {
		return 0, fmt.Errorf("certificates: %w", err)
	}

	// Every start gets a fresh etcd whose data is removed at exit, unless the state is kept.
	etcdDir := filepath.Join(dir, "etcd")
	if !keep {
		if err := os.RemoveAll(etcdDir); err != nil {
			return 0, err
		}
		defer os.RemoveAll(etcdDir)
	}
	etcd, etcdURL, err := startEtcd(etcdDir, !keep)
	if err != nil {
		return 0, err
	}
	defer etcd.Close()
	go compactOnSIGUSR1(etcd)

	portFile := filepath.Join(dir, "port")
	if keep && port == 0 { // the kubeconfigs clients hold name the port of the last start
		if b, err := os.ReadFile(portFile); err == nil {
			port, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
	}
	if port == 0 {
		port = freePort()
	}
	if keep {
		if err := os.WriteFile(portFile, []byte(strconv.Itoa(port)+"\n"), 0o600); err != nil {
			return 0, err
		}
	}
	host := "https://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	cmd := app.NewAPIServerCommand() // installs the signal handler: SIGTERM/SIGINT -> graceful stop
	cmd.SetArgs(append(apiserverFlags(certDir, etcdURL, port), extraFlags...))

	done := make(chan int, 1)
	go func() { done <- cli.Run(cmd) }()
	stop := func() {
		_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(30 * time.Second):
		}
	}
	if err := waitReady(host, creds, done); err != nil {
		stop()
		return 0, err
	}
	if err := writeKubeconfig(dir, host, creds); err != nil {
		stop()
		return 0, err
	}
	fmt.Printf("test-apiserver: ready at %s (kubeconfig %s)\n", host, filepath.Join(dir, "kubeconfig"))
	code := <-done
	_ = os.Remove(filepath.Join(dir, "kubeconfig"))
	fmt.Println("test-apiserver: kube-apiserver stopped, stopping etcd")
	return code, nil
}

// apiserverFlags are the flags a kube-apiserver needs on 127.0.0.1 (each one was found by a failed
// start, see shared notes), with the authorization of a real cluster (RBAC) and envtest's choices.
func apiserverFlags(certDir, etcdURL string, port int) []string {
	cert := func(name string) string { return filepath.Join(certDir, name) }
	return []string{
		"--etcd-servers=" + etcdURL,
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(port),
		"--cert-dir=" + certDir,
		"--tls-cert-file=" + cert("serving.crt"),
		"--tls-private-key-file=" + cert("serving.key"),
		"--client-ca-file=" + cert("ca.crt"),
		"--service-account-issuer=https://kubernetes.default.svc",
		"--service-account-key-file=" + cert("sa.pub"),
		"--service-account-signing-key-file=" + cert("sa.key"),
		"--authorization-mode=RBAC",
		"--service-cluster-ip-range=10.0.0.0/24",
		// 127.0.0.1 is refused by the endpoint reconciler ("may not be in the loopback range").
		"--endpoint-reconciler-type=none",
		"--allow-privileged=true",
		"--profiling=false",
	}
}

// ---- certificates -------------------------------------------------------------------------------

// credentials is what the kubeconfig carries (PEM).
type credentials struct {
	caPEM, clientCertPEM, clientKeyPEM []byte
}

// writePKI makes a fresh CA, the serving certificate, the admin's client certificate and the
// service-account signing key pair under certDir (ECDSA P-256: fast to generate).
func writePKI(certDir string) (*credentials, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	notBefore := time.Now().Add(-time.Hour)
	notAfter := notBefore.Add(10 * 365 * 24 * time.Hour)
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "vitistack-test-ca"},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	issue := func(tmpl *x509.Certificate) (certPEM, keyPEM []byte, err error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		tmpl.SerialNumber, tmpl.NotBefore, tmpl.NotAfter = serial(), notBefore, notAfter
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			return nil, nil, err
		}
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return nil, nil, err
		}
		return pemBlock("CERTIFICATE", der), pemBlock("PRIVATE KEY", keyDER), nil
	}
	servingCert, servingKey, err := issue(&x509.Certificate{
		Subject:     pkix.Name{CommonName: "test-apiserver"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:    []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.0.0.1")},
	})
	if err != nil {
		return nil, err
	}
	clientCert, clientKey, err := issue(&x509.Certificate{
		Subject:     pkix.Name{CommonName: adminUser, Organization: []string{"system:masters"}},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		return nil, err
	}
	saKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	saKeyDER, err := x509.MarshalPKCS8PrivateKey(saKey)
	if err != nil {
		return nil, err
	}
	saPubDER, err := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if err != nil {
		return nil, err
	}
	caPEM := pemBlock("CERTIFICATE", caDER)
	files := map[string][]byte{
		"ca.crt":      caPEM,
		"serving.crt": servingCert,
		"serving.key": servingKey,
		"admin.crt":   clientCert,
		"admin.key":   clientKey,
		"sa.key":      pemBlock("PRIVATE KEY", saKeyDER),
		"sa.pub":      pemBlock("PUBLIC KEY", saPubDER),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(certDir, name), b, 0o600); err != nil {
			return nil, err
		}
	}
	return &credentials{caPEM: caPEM, clientCertPEM: clientCert, clientKeyPEM: clientKey}, nil
}

// loadPKI reads the credentials writePKI wrote, if every file it writes is there.
func loadPKI(certDir string) (*credentials, error) {
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(certDir, name)) }
	for _, name := range []string{"serving.crt", "serving.key", "sa.key", "sa.pub"} {
		if _, err := read(name); err != nil {
			return nil, err
		}
	}
	var creds credentials
	var err error
	if creds.caPEM, err = read("ca.crt"); err != nil {
		return nil, err
	}
	if creds.clientCertPEM, err = read("admin.crt"); err != nil {
		return nil, err
	}
	if creds.clientKeyPEM, err = read("admin.key"); err != nil {
		return nil, err
	}
	return &creds, nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return n
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// ---- readiness and kubeconfig -------------------------------------------------------------------

// waitReady polls /readyz and then the default namespace (created by a post-start hook around the
// time /readyz turns green) as the admin, until both answer 200 or the apiserver exits.
func waitReady(host string, creds *credentials, done <-chan int) error {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(creds.caPEM)
	cert, err := tls.X509KeyPair(creds.clientCertPEM, creds.clientKeyPEM)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}},
	}}
	deadline := time.Now().Add(120 * time.Second)
	for _, path := range []string{"/readyz", "/api/v1/namespaces/default"} {
		last := ""
		for {
			select {
			case code := <-done:
				return fmt.Errorf("kube-apiserver exited with code %d during startup", code)
			default:
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("not ready after 120s (GET %s: %s)", path, last)
			}
			resp, err := client.Get(host + path)
			if err == nil {
				body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
				last = fmt.Sprintf("%d %s", resp.StatusCode, body)
			} else {
				last = err.Error()
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return nil
}

// writeKubeconfig writes DIR/kubeconfig atomically: the server, its CA and the admin's client
// certificate (no insecure-skip-tls-verify, no token).
func writeKubeconfig(dir, host string, creds *credentials) error {
	kc := clientcmdapi.NewConfig()
	kc.Clusters["test-apiserver"] = &clientcmdapi.Cluster{Server: host, CertificateAuthorityData: creds.caPEM}
	kc.AuthInfos[adminUser] = &clientcmdapi.AuthInfo{ClientCertificateData: creds.clientCertPEM, ClientKeyData: creds.clientKeyPEM}
	kc.Contexts["test-apiserver"] = &clientcmdapi.Context{Cluster: "test-apiserver", AuthInfo: adminUser, Namespace: "default"}
	kc.CurrentContext = "test-apiserver"
	tmp := filepath.Join(dir, ".kubeconfig.tmp")
	if err := clientcmd.WriteToFile(*kc, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, "kubeconfig"))
}

// ---- etcd ---------------------------------------------------------------------------------------

// startEtcd starts etcd on dataDir (fresh: a half-written dataDir may be removed for a retry).
func startEtcd(dataDir string, fresh bool) (*embed.Etcd, string, error) {
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
				if fresh {
					_ = os.RemoveAll(dataDir)
				}
				continue
			}
			return nil, "", fmt.Errorf("embedded etcd: %w", err)
		}
		select {
		case <-e.Server.ReadyNotify():
			return e, cu.String(), nil
		case err := <-e.Err():
			e.Close()
			return nil, "", fmt.Errorf("embedded etcd: %w", err)
		case <-time.After(60 * time.Second):
			e.Close()
			return nil, "", errors.New("embedded etcd not ready after 60s")
		}
	}
	return nil, "", fmt.Errorf("embedded etcd: %w", lastErr)
}

// compactOnSIGUSR1 compacts etcd at its current revision on every SIGUSR1: every older
// resourceVersion is gone afterwards, as in a long-running cluster that has forgotten history.
func compactOnSIGUSR1(e *embed.Etcd) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	for range ch {
		rev := e.Server.KV().Rev()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err := e.Server.Compact(ctx, &pb.CompactionRequest{Revision: rev, Physical: true})
		cancel()
		if err != nil {
			fmt.Fprintf(os.Stderr, "test-apiserver: etcd compaction at revision %d: %v\n", rev, err)
		} else {
			fmt.Fprintf(os.Stderr, "test-apiserver: etcd compacted at revision %d\n", rev)
		}
	}
}

func freePort() int { // small race, same approach as k8s.io/apiserver etcd3/testserver
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// ---- parent watchdog ----------------------------------------------------------------------------

// watchParent sends this process SIGTERM (the apiserver's graceful stop) once process pid is gone
// or was replaced by a new process with the same pid (detected through its start time).
func watchParent(pid int) error {
	start, err := procStartTime(pid)
	if err != nil {
		return fmt.Errorf("-parent-pid %d: %w", pid, err)
	}
	go func() {
		for range time.Tick(500 * time.Millisecond) {
			if s, err := procStartTime(pid); err != nil || s != start {
				fmt.Fprintf(os.Stderr, "test-apiserver: parent process %d is gone, shutting down\n", pid)
				_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
				time.Sleep(30 * time.Second) // never outlive the parent by much
				fmt.Fprintln(os.Stderr, "test-apiserver: graceful shutdown took >30s, exiting")
				os.Exit(1)
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
