package compat

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/xen0n/go-workwx"
	"github.com/xen0n/go-workwx/errcodes"
)

// go-workwx v1.7.0 exports no way to fetch the token by itself: every API call fetches it on
// first use (and caches it for the app's lifetime). These tests use an API corphub does not
// serve (会话存档 / msgaudit), so that the API answers 48005 and any other errcode can only
// come from the token fetch.

type gettokenBody struct {
	ErrCode     int64  `json:"errcode"`
	ErrMsg      string `json:"errmsg"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int64  `json:"expires_in"`
}

func callUnserved(app *workwx.WorkwxApp) error {
	_, err := app.ListMsgAuditPermitUser(workwx.MsgAuditEditionOffice)
	return err
}

func TestTokenFetchedOnceAndReused(t *testing.T) {
	rec := &recorder{}
	app := newApp(corpID, secret, rec)
	before := gettokenCalls(t)

	for i := 0; i < 2; i++ {
		if ce := clientError(t, callUnserved(app)); ce.Code != errcodes.ErrCode48005 {
			t.Fatalf("call %d: want errcode 48005 from the API, got %v", i+1, ce)
		}
	}

	ex := rec.all()
	if len(ex) != 3 {
		t.Fatalf("want gettoken then two API calls, got %d requests: %+v", len(ex), ex)
	}
	tok := ex[0]
	if tok.Method != "GET" || tok.URL.Path != "/cgi-bin/gettoken" {
		t.Fatalf("first request is %s %s, want GET /cgi-bin/gettoken", tok.Method, tok.URL)
	}
	if q := tok.URL.Query(); q.Get("corpid") != corpID || q.Get("corpsecret") != secret {
		t.Fatalf("gettoken sent with the wrong credentials: %s", tok.URL.RawQuery)
	}
	var body gettokenBody
	if err := json.Unmarshal(tok.Body, &body); err != nil {
		t.Fatalf("gettoken body is not the JSON the SDK decodes: %v: %s", err, tok.Body)
	}
	if tok.Status != 200 || body.ErrCode != 0 || body.ErrMsg != "ok" || body.AccessToken == "" ||
		len(body.AccessToken) > 512 || body.ExpiresIn != 7200 {
		t.Fatalf("unexpected gettoken answer (HTTP %d): %s", tok.Status, tok.Body)
	}
	for i, api := range ex[1:] {
		if api.URL.Path != "/cgi-bin/msgaudit/get_permit_user_list" {
			t.Fatalf("request %d went to %s", i+2, api.URL.Path)
		}
		if got := api.URL.Query().Get("access_token"); got != body.AccessToken {
			t.Fatalf("API call %d sent access_token %q, want the fetched %q", i+1, got, body.AccessToken)
		}
	}
	if n := gettokenCalls(t) - before; n != 1 {
		t.Fatalf("the server saw %v gettoken calls, want 1", n)
	}
}

func TestTwoAppsGetDifferentTokens(t *testing.T) {
	recA, recB := &recorder{}, &recorder{}
	for _, rec := range []*recorder{recA, recB} {
		if ce := clientError(t, callUnserved(newApp(corpID, secret, rec))); ce.Code != errcodes.ErrCode48005 {
			t.Fatalf("want 48005, got %v", ce)
		}
	}
	token := func(rec *recorder) string {
		ex := rec.all()
		if len(ex) < 2 {
			t.Fatalf("want gettoken and an API call, got %+v", ex)
		}
		return ex[1].URL.Query().Get("access_token")
	}
	a, b := token(recA), token(recB)
	if a == "" || a == b {
		t.Fatalf("each gettoken should issue a new token, got %q and %q", a, b)
	}
}

func TestWrongSecretIs40001(t *testing.T) {
	rec := &recorder{}
	app := newApp(corpID, wrongSecret(), rec)
	for i := 0; i < 2; i++ { // a failed fetch is not cached: the SDK asks again
		if ce := clientError(t, callUnserved(app)); ce.Code != errcodes.ErrCode40001 {
			t.Fatalf("call %d: want errcode 40001, got %v", i+1, ce)
		}
	}
	for _, ex := range rec.all() {
		if ex.URL.Path != "/cgi-bin/gettoken" {
			t.Fatalf("the SDK reached %s without a token", ex.URL.Path)
		}
	}
	if n := len(rec.all()); n != 2 {
		t.Fatalf("want 2 gettoken requests, got %d", n)
	}
}

func TestUnknownCorpIDIs40013(t *testing.T) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	app := newApp("ww"+hex.EncodeToString(b), secret, nil)
	if ce := clientError(t, callUnserved(app)); ce.Code != errcodes.ErrCode40013 {
		t.Fatalf("want errcode 40013, got %v", ce)
	}
}

func TestEmptyCredentials(t *testing.T) {
	// go-workwx always sends both parameters, empty ones as "corpid=" / "corpsecret=".
	cases := []struct {
		name         string
		corp, secret string
		want         int64
	}{
		{"corpid", "", secret, errcodes.ErrCode41002},
		{"secret", corpID, "", errcodes.ErrCode41004},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if ce := clientError(t, callUnserved(newApp(c.corp, c.secret, nil))); ce.Code != c.want {
				t.Fatalf("want errcode %d, got %v", c.want, ce)
			}
		})
	}
}
