// Package compat runs the go-workwx SDK (github.com/xen0n/go-workwx v1.7.0) against a real
// corphub binary: TestMain creates an organisation in a temporary data dir, starts
// `corphub serve` on a port the OS picks, runs the tests and stops the server it started.
//
// The binary comes from CORPHUB_BIN (default: <repo>/build/corphub). The server keeps its data
// in SQLite, or in the PostgreSQL database CORPHUB_COMPAT_STORAGE_URL names (scripts/test-all.sh
// runs the suite once each way). One file per API area.
//
// The server runs with its testing routes on (CORPHUB_TESTING_ENABLED=true), so the message
// tests can open member sessions (POST /testing/member-session) and read inboxes.
package compat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	startTimeout = 20 * time.Second
	stopTimeout  = 20 * time.Second
	pollInterval = 20 * time.Millisecond
)

// The server every test talks to, and the organisation it serves (set by TestMain).
var (
	serverURL string
	corpID    string
	secret    string
	// corphubBin and dataDir let tests run the CLI (`corphub app create`) on the server's
	// storage; cleanEnv adds the PostgreSQL URL when the suite runs there.
	corphubBin string
	dataDir    string
)

// corpInfo is what `corphub corp show --json` prints.
type corpInfo struct {
	CorpID         string `json:"corpid"`
	Name           string `json:"name"`
	ContactsSecret string `json:"contacts_secret"`
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	bin, err := corphubBinary()
	if err != nil {
		fmt.Fprintln(os.Stderr, "compat:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "corphub-compat-go-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "compat:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	srv, err := startServer(bin, dir)
	if srv != nil {
		defer srv.stop()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "compat:", err)
		return 1
	}
	return m.Run()
}

func corphubBinary() (string, error) {
	bin := os.Getenv("CORPHUB_BIN")
	if bin == "" {
		bin = filepath.Join("..", "..", "..", "build", "corphub")
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		return "", err
	}
	st, err := os.Stat(abs)
	if err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("corphub binary not found at %s: build it or set CORPHUB_BIN", abs)
	}
	return abs, nil
}

// cleanEnv is the caller's environment without CORPHUB_* variables (they would change the
// storage or config the server uses), plus the storage URL when the suite runs on PostgreSQL.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CORPHUB_") {
			env = append(env, kv)
		}
	}
	if url := os.Getenv("CORPHUB_COMPAT_STORAGE_URL"); url != "" {
		env = append(env, "CORPHUB_STORAGE_URL="+url)
	}
	return env
}

type server struct {
	cmd    *exec.Cmd
	exited chan struct{}
	stdout *bytes.Buffer
	stderr *bytes.Buffer
}

func startServer(bin, dir string) (*server, error) {
	data := filepath.Join(dir, "data")
	portFile := filepath.Join(dir, "port")
	corphubBin, dataDir = bin, data

	show := exec.Command(bin, "corp", "show", "--json", "--data", data)
	show.Env = cleanEnv()
	var showErr bytes.Buffer
	show.Stderr = &showErr
	out, err := show.Output()
	if err != nil {
		return nil, fmt.Errorf("`corphub corp show --json` failed: %v\nstderr: %s", err, showErr.String())
	}
	var info corpInfo
	if err := json.Unmarshal(out, &info); err != nil {
		return nil, fmt.Errorf("`corphub corp show --json` printed no JSON object (%v): %q", err, out)
	}
	if info.CorpID == "" || info.ContactsSecret == "" {
		return nil, fmt.Errorf("`corphub corp show --json` lacks corpid or contacts_secret: %s", out)
	}
	corpID, secret = info.CorpID, info.ContactsSecret

	s := &server{exited: make(chan struct{}), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	s.cmd = exec.Command(bin, "serve", "--listen", "127.0.0.1:0", "--data", data,
		"--port-file", portFile)
	// The suite sends more than WeCom's 30 messages a minute to one member.
	s.cmd.Env = append(cleanEnv(), "CORPHUB_TESTING_ENABLED=true",
		"CORPHUB_API_MEMBER_MESSAGES_PER_MINUTE=1000000",
		"CORPHUB_API_MEMBER_MESSAGES_PER_HOUR=100000000",
		"CORPHUB_API_CORP_CALLS_PER_MINUTE=1000000000",
		"CORPHUB_API_IP_CALLS_PER_MINUTE=1000000000")
	s.cmd.Stdout = s.stdout
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting corphub serve: %w", err)
	}
	go func() {
		_ = s.cmd.Wait()
		close(s.exited)
	}()

	port, err := s.waitPort(portFile)
	if err != nil {
		return s, err
	}
	serverURL = "http://127.0.0.1:" + strconv.Itoa(port)
	return s, s.waitAnswers()
}

func (s *server) hasExited() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

func (s *server) exitedErr(what string) error {
	return fmt.Errorf("corphub exited (%v) before %s\nstdout: %s\nstderr: %s",
		s.cmd.ProcessState, what, s.stdout.String(), s.stderr.String())
}

func (s *server) waitPort(portFile string) (int, error) {
	deadline := time.Now().Add(startTimeout)
	for {
		if s.hasExited() {
			return 0, s.exitedErr("writing its port file")
		}
		if text, err := os.ReadFile(portFile); err == nil {
			if port, err := strconv.Atoi(strings.TrimSpace(string(text))); err == nil && port > 0 {
				return port, nil
			}
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("no port file from corphub after %v", startTimeout)
		}
		time.Sleep(pollInterval)
	}
}

func (s *server) waitAnswers() error {
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(startTimeout)
	for {
		if s.hasExited() {
			return s.exitedErr("answering /healthz")
		}
		if resp, err := client.Get(serverURL + "/healthz"); err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("corphub did not answer /healthz within %v", startTimeout)
		}
		time.Sleep(pollInterval)
	}
}

// stop sends SIGTERM to the process this package started, and SIGKILL if it does not exit in
// time.
func (s *server) stop() {
	if s.hasExited() {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		fmt.Fprintf(os.Stderr, "compat: corphub (pid %d) ignored SIGTERM for %v; killing it\n",
			s.cmd.Process.Pid, stopTimeout)
		if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
			fmt.Fprintln(os.Stderr, "compat:", err)
		}
		<-s.exited
	}
}
