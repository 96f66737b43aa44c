package compat

// go-workwx's own callback handler (workwx.NewHTTPHandler) as an app's callback URL: corphub's
// URL verification passes through it when the console sets the callback, and the
// change_contact event of a new member reaches its OnIncomingMessage, decrypted and checked by
// the SDK.

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/xen0n/go-workwx"
)

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func randAlnum(t *testing.T, n int) string {
	t.Helper()
	var sb strings.Builder
	for i := 0; i < n; i++ {
		d, err := rand.Int(rand.Reader, big.NewInt(int64(len(alnum))))
		if err != nil {
			t.Fatal(err)
		}
		sb.WriteByte(alnum[d.Int64()])
	}
	return sb.String()
}

type rxRecorder struct{ got chan *workwx.RxMessage }

func (r *rxRecorder) OnIncomingMessage(msg *workwx.RxMessage) error {
	r.got <- msg
	return nil
}

// adminSession creates a super admin with the CLI and logs in: the client keeps the cookie and
// the CSRF token goes on every write.
type adminSession struct {
	client *http.Client
	csrf   string
}

func newAdminSession(t *testing.T) *adminSession {
	t.Helper()
	username := "gocb" + randDigits(t, 6)
	password := "go-callback-password-" + randDigits(t, 6)
	cmd := exec.Command(corphubBin, "admin", "create", "--username", username, "--password-stdin",
		"--data", dataDir)
	cmd.Env = cleanEnv()
	cmd.Stdin = strings.NewReader(password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("corphub admin create: %v\n%s", err, out)
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &adminSession{client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
	var login struct {
		CSRF string `json:"csrf_token"`
	}
	s.call(t, "POST", "/admin/api/session", map[string]string{"username": username,
		"password": password}, 200, &login)
	s.csrf = login.CSRF
	return s
}

func (s *adminSession) call(t *testing.T, method, path string, body interface{}, want int,
	out interface{}) {
	t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, serverURL+path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	if s.csrf != "" {
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var raw json.RawMessage
	_ = json.NewDecoder(resp.Body).Decode(&raw)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: HTTP %d (want %d): %s", method, path, resp.StatusCode, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

func TestCallbackThroughGoWorkwxHandler(t *testing.T) {
	// An administrator who chose their password at creation may work at once.
	admin := newAdminSession(t)
	app := createApp(t, "回调 go-workwx")
	token := randAlnum(t, 16)
	key := randAlnum(t, 43)
	rx := &rxRecorder{got: make(chan *workwx.RxMessage, 16)}
	handler, err := workwx.NewHTTPHandler(token, key, rx)
	if err != nil {
		t.Fatalf("NewHTTPHandler: %v", err)
	}
	receiver := httptest.NewServer(handler)
	defer receiver.Close()

	path := fmt.Sprintf("/admin/api/apps/%d", app.AgentID)
	// Verification passes through the SDK's handler (it answers the decrypted echostr).
	var got struct {
		URL string `json:"url"`
	}
	admin.call(t, "PUT", path+"/callback", map[string]string{"url": receiver.URL + "/cb",
		"token": token, "encoding_aes_key": key}, 200, &got)
	if got.URL != receiver.URL+"/cb" {
		t.Fatalf("callback url %q", got.URL)
	}
	// With another Token the SDK's handler refuses the signature: nothing is kept.
	admin.call(t, "PUT", path+"/callback", map[string]string{"url": receiver.URL + "/other",
		"token": "wrong" + token[:8], "encoding_aes_key": key}, 400, nil)
	admin.call(t, "PATCH", path, map[string]bool{"isreportuser": true}, 200, nil)

	userid := "gocb" + randDigits(t, 8)
	createUser(t, map[string]interface{}{"userid": userid, "name": "回调成员",
		"department": []int{1}, "mobile": "139" + randDigits(t, 8)})
	deadline := time.After(20 * time.Second)
	for {
		select {
		case msg := <-rx.got:
			if msg.MsgType != workwx.MessageTypeEvent || msg.Event != workwx.EventTypeChangeContact {
				continue
			}
			created, ok := msg.EventChangeTypeCreateUser()
			if !ok || created.UserID != userid {
				continue
			}
			if msg.FromUserID != "sys" || msg.AgentID != app.AgentID {
				t.Fatalf("change_contact from %q for agent %d", msg.FromUserID, msg.AgentID)
			}
			if created.Name != "回调成员" {
				t.Fatalf("create_user Name %q", created.Name)
			}
			admin.call(t, "DELETE", path+"/callback", nil, 200, nil)
			return
		case <-deadline:
			t.Fatal("no change_contact create_user reached go-workwx's handler")
		}
	}
}
