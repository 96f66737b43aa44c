package compat

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/xen0n/go-workwx"
	"github.com/xen0n/go-workwx/errcodes"
)

// APIs go-workwx has and corphub does not serve (mini programs, 会话存档): their errcode 48005
// comes back through the SDK as *workwx.WorkwxClientError, for a GET and for a JSON POST.

func TestUnservedAPIsAre48005(t *testing.T) {
	cases := []struct {
		name, method, path string
		call               func(*workwx.WorkwxApp) error
	}{
		{"get", "GET", "/cgi-bin/miniprogram/jscode2session", func(app *workwx.WorkwxApp) error {
			_, err := app.JSCode2Session("code")
			return err
		}},
		{"post", "POST", "/cgi-bin/msgaudit/get_permit_user_list", callUnserved},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{}
			ce := clientError(t, c.call(newApp(corpID, secret, rec)))
			if ce.Code != errcodes.ErrCode48005 || ce.Msg == "" {
				t.Fatalf("want errcode 48005 with a message, got %v", ce)
			}
			ex := rec.all()
			last := ex[len(ex)-1]
			if last.Method != c.method || last.URL.Path != c.path {
				t.Fatalf("last request was %s %s, want %s %s", last.Method, last.URL.Path, c.method, c.path)
			}
			if last.Status != 200 || !strings.HasPrefix(last.ContentType, "application/json") {
				t.Fatalf("want HTTP 200 JSON, got %d %q", last.Status, last.ContentType)
			}
			var envelope map[string]json.RawMessage
			if err := json.Unmarshal(last.Body, &envelope); err != nil {
				t.Fatalf("body is not a JSON object: %v: %s", err, last.Body)
			}
			if string(envelope["errcode"]) != "48005" {
				t.Fatalf("errcode should be the JSON number 48005: %s", last.Body)
			}
		})
	}
}
