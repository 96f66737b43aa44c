package compat

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os/exec"
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
	// RequestBody is what the SDK sent (nil for a request without a body).
	RequestBody []byte
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
	var reqBody []byte
	if req.Body != nil && req.GetBody != nil {
		// bytes.Reader bodies (all the SDK sends) can be read again through GetBody.
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
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
		resp.Header.Get("Content-Type"), body, reqBody})
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

// appInfo is what `corphub app create --json` prints.
type appInfo struct {
	AgentID       int64  `json:"agentid"`
	Name          string `json:"name"`
	Secret        string `json:"secret"`
	CorpID        string `json:"corpid"`
	RetentionDays int    `json:"retention_days"`
}

// createApp runs `corphub app create --name NAME --json` on the running server's storage.
func createApp(t *testing.T, name string) appInfo {
	t.Helper()
	cmd := exec.Command(corphubBin, "app", "create", "--name", name, "--json", "--data", dataDir)
	cmd.Env = cleanEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("`corphub app create --name %s --json`: %v\nstderr: %s", name, err, stderr.String())
	}
	var info appInfo
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatalf("`corphub app create --json` printed no JSON object (%v): %q", err, out)
	}
	if info.AgentID <= 0 || info.Secret == "" || info.CorpID != corpID {
		t.Fatalf("`corphub app create --json` printed %s", out)
	}
	return info
}

// newAgentApp is the SDK set up as an integration sending through an app: the app's secret
// and agentid. The recorder (may be nil) sees the SDK's traffic.
func newAgentApp(info appInfo, rec *recorder) *workwx.WorkwxApp {
	httpClient := &http.Client{Timeout: 10 * time.Second}
	if rec != nil {
		httpClient.Transport = rec
	}
	return workwx.New(info.CorpID, workwx.WithQYAPIHost(serverURL), workwx.WithHTTPClient(httpClient)).
		WithApp(info.Secret, info.AgentID)
}

// memberSession is a member signed in to the member API (docs/member-api.md) through the
// testing route POST /testing/member-session, which sets the corphub_member cookie.
type memberSession struct {
	userid string
	http   *http.Client
}

func openMemberSession(t *testing.T, userid string) *memberSession {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	m := &memberSession{userid: userid, http: &http.Client{Timeout: 10 * time.Second, Jar: jar}}
	body, _ := json.Marshal(map[string]string{"userid": userid})
	resp, err := m.http.Post(serverURL+"/testing/member-session", "application/json",
		bytes.NewReader(body))
	if err != nil {
		t.Fatalf("POST /testing/member-session %s: %v", userid, err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /testing/member-session %s: HTTP %d %s", userid, resp.StatusCode, text)
	}
	u, _ := url.Parse(serverURL)
	found := false
	for _, c := range jar.Cookies(u) {
		found = found || c.Name == "corphub_member"
	}
	if !found {
		t.Fatalf("POST /testing/member-session %s set no corphub_member cookie", userid)
	}
	return m
}

// inboxMessage is a message as the member API shows it.
type inboxMessage struct {
	Seq       int64           `json:"seq"`
	MsgID     string          `json:"msgid"`
	AgentID   int64           `json:"agentid"`
	MsgType   string          `json:"msgtype"`
	Content   json.RawMessage `json:"content"`
	Safe      int             `json:"safe"`
	CreatedAt int64           `json:"created_at"`
	ReadAt    *int64          `json:"read_at"`
	Recalled  bool            `json:"recalled"`
}

// messages is the newest 100 messages of the member's conversation with app agentID.
func (m *memberSession) messages(t *testing.T, agentID int64) []inboxMessage {
	t.Helper()
	u := serverURL + "/api/v1/conversations/" + strconv.FormatInt(agentID, 10) + "/messages?limit=100"
	resp, err := m.http.Get(u)
	if err != nil {
		t.Fatalf("GET %s as %s: %v", u, m.userid, err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s as %s: HTTP %d %s", u, m.userid, resp.StatusCode, text)
	}
	var page struct {
		Messages []inboxMessage `json:"messages"`
	}
	if err := json.Unmarshal(text, &page); err != nil {
		t.Fatalf("GET %s: %v: %s", u, err, text)
	}
	return page.Messages
}

// message is the message msgid in the member's inbox (among the newest 100 from agentID), or
// nil; a message there twice fails the test.
func (m *memberSession) message(t *testing.T, agentID int64, msgid string) *inboxMessage {
	t.Helper()
	var found *inboxMessage
	for _, msg := range m.messages(t, agentID) {
		if msg.MsgID == msgid {
			if found != nil {
				t.Fatalf("%s has message %s twice", m.userid, msgid)
			}
			msg := msg
			found = &msg
		}
	}
	return found
}

// sessionCache opens one member session per userid and keeps it for the suite's later tests.
type sessionCache struct {
	sessions map[string]*memberSession
}

func newSessionCache() sessionCache {
	return sessionCache{sessions: map[string]*memberSession{}}
}

// inbox is the member's session, opened on first use.
func (c *sessionCache) inbox(t *testing.T, userid string) *memberSession {
	t.Helper()
	if s, ok := c.sessions[userid]; ok {
		return s
	}
	s := openMemberSession(t, userid)
	c.sessions[userid] = s
	return s
}
