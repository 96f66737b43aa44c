package compat

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xen0n/go-workwx"
)

// exchange is one HTTP request the SDK made and the response it got.
type exchange struct {
	Method      string
	URL         *url.URL
	Status      int
	ContentType string
	Body        []byte
}

func (e exchange) String() string {
	return e.Method + " " + e.URL.String() + " -> " + strconv.Itoa(e.Status) + " " + string(e.Body)
}

// recorder is an http.RoundTripper that keeps every exchange, handed to the SDK through
// workwx.WithHTTPClient, so a test can see which requests the SDK sent (token fetches
// included) without changing what it sends.
type recorder struct {
	mu        sync.Mutex
	exchanges []exchange
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	u := *req.URL
	r.mu.Lock()
	r.exchanges = append(r.exchanges, exchange{req.Method, &u, resp.StatusCode,
		resp.Header.Get("Content-Type"), body})
	r.mu.Unlock()
	return resp, nil
}

func (r *recorder) all() []exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]exchange(nil), r.exchanges...)
}

// newApp is what an integration writes: the corphub host instead of WeCom's, and the app's
// secret. The recorder (may be nil) sees the SDK's traffic.
func newApp(corp, appSecret string, rec *recorder) *workwx.WorkwxApp {
	httpClient := &http.Client{Timeout: 10 * time.Second}
	if rec != nil {
		httpClient.Transport = rec
	}
	return workwx.New(corp, workwx.WithQYAPIHost(serverURL), workwx.WithHTTPClient(httpClient)).
		WithApp(appSecret, 0)
}

// clientError unwraps err as the SDK's *WorkwxClientError (the API answered an errcode).
func clientError(t *testing.T, err error) *workwx.WorkwxClientError {
	t.Helper()
	if err == nil {
		t.Fatal("expected a *workwx.WorkwxClientError, got no error")
	}
	var ce *workwx.WorkwxClientError
	if !errors.As(err, &ce) {
		t.Fatalf("expected a *workwx.WorkwxClientError, got %T: %v", err, err)
	}
	return ce
}

// requestsTo sums corphub_http_requests_total{route=...} over methods and statuses, from the
// server's /metrics.
func requestsTo(t *testing.T, route string) float64 {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(serverURL + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: HTTP %d", resp.StatusCode)
	}
	want := `route="` + route + `"`
	total := 0.0
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "corphub_http_requests_total{") {
			continue
		}
		end := strings.LastIndex(line, "}")
		if end < 0 || !hasLabel(line[len("corphub_http_requests_total{"):end], want) {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(line[end+1:]), 64)
		if err != nil {
			t.Fatalf("bad metrics line %q: %v", line, err)
		}
		total += v
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading /metrics: %v", err)
	}
	return total
}

// hasLabel reports whether the comma-separated label list contains exactly `label` (k="v").
// Route values never contain commas or quotes, so a plain split is enough here.
func hasLabel(labels, label string) bool {
	for _, l := range strings.Split(labels, ",") {
		if l == label {
			return true
		}
	}
	return false
}

func gettokenCalls(t *testing.T) float64 {
	t.Helper()
	return requestsTo(t, "/cgi-bin/gettoken")
}

// wrongSecret is the organisation's secret with its last character changed.
func wrongSecret() string {
	last := "A"
	if strings.HasSuffix(secret, "A") {
		last = "B"
	}
	return secret[:len(secret)-1] + last
}
