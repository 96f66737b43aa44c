package compat

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/xen0n/go-workwx"
)

// go-workwx v1.7.0 cannot create members (it has no user/create), nor mark one activated, so
// the member tests set up through raw HTTP with a token of their own (fetched once).

var (
	rawTokenOnce sync.Once
	rawTokenVal  string
	rawTokenErr  error
)

func rawToken(t *testing.T) string {
	t.Helper()
	rawTokenOnce.Do(func() {
		q := url.Values{"corpid": {corpID}, "corpsecret": {secret}}
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(serverURL + "/cgi-bin/gettoken?" + q.Encode())
		if err != nil {
			rawTokenErr = err
			return
		}
		defer resp.Body.Close()
		var b gettokenBody
		if err := json.NewDecoder(resp.Body).Decode(&b); err != nil {
			rawTokenErr = err
			return
		}
		if b.ErrCode != 0 || b.AccessToken == "" {
			rawTokenErr = fmt.Errorf("gettoken answered %+v", b)
			return
		}
		rawTokenVal = b.AccessToken
	})
	if rawTokenErr != nil {
		t.Fatalf("raw gettoken: %v", rawTokenErr)
	}
	return rawTokenVal
}

// rawCall sends one request with the token (a JSON POST when body is not nil, a GET otherwise)
// and returns the answer's top-level fields.
func rawCall(t *testing.T, path string, query url.Values, body interface{}) map[string]json.RawMessage {
	t.Helper()
	q := url.Values{}
	for k, v := range query {
		q[k] = v
	}
	q.Set("access_token", rawToken(t))
	u := serverURL + path + "?" + q.Encode()
	client := &http.Client{Timeout: 10 * time.Second}
	var resp *http.Response
	var err error
	if body == nil {
		resp, err = client.Get(u)
	} else {
		b, merr := json.Marshal(body)
		if merr != nil {
			t.Fatal(merr)
		}
		resp, err = client.Post(u, "application/json", bytes.NewReader(b))
	}
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer resp.Body.Close()
	var out map[string]json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: answer is not a JSON object: %v", path, err)
	}
	return out
}

func errcodeOf(t *testing.T, ans map[string]json.RawMessage) int64 {
	t.Helper()
	n, err := strconv.ParseInt(string(ans["errcode"]), 10, 64)
	if err != nil {
		t.Fatalf("errcode is not a JSON number in %v", ans)
	}
	return n
}

// createUser posts the member object to user/create and insists on errcode 0 / "created".
func createUser(t *testing.T, member map[string]interface{}) string {
	t.Helper()
	ans := rawCall(t, "/cgi-bin/user/create", nil, member)
	if errcodeOf(t, ans) != 0 || string(ans["errmsg"]) != `"created"` {
		t.Fatalf("user/create %v: errcode %s errmsg %s", member, ans["errcode"], ans["errmsg"])
	}
	return member["userid"].(string)
}

// authSucc marks a not-yet-activated member active (user/authsucc).
func authSucc(t *testing.T, userid string) {
	t.Helper()
	ans := rawCall(t, "/cgi-bin/user/authsucc", url.Values{"userid": {userid}}, nil)
	if errcodeOf(t, ans) != 0 {
		t.Fatalf("user/authsucc %s: %v", userid, ans)
	}
}

func randDigits(t *testing.T, n int) string {
	t.Helper()
	s := ""
	for i := 0; i < n; i++ {
		d, err := rand.Int(rand.Reader, big.NewInt(10))
		if err != nil {
			t.Fatal(err)
		}
		s += d.String()
	}
	return s
}

// uniqueMobile is an 11-digit mainland mobile number nobody else in the run has (in all
// likelihood: 10^8 choices).
func uniqueMobile(t *testing.T) string {
	t.Helper()
	return "139" + randDigits(t, 8)
}

func uniqueEmail(t *testing.T, prefix, domain string) string {
	t.Helper()
	return uniqueName(t, prefix) + "@" + domain
}

// minimalUser is the least user/create takes: userid, name, one department, a mobile.
func minimalUser(t *testing.T, prefix string, dept int64) map[string]interface{} {
	t.Helper()
	return map[string]interface{}{
		"userid":     uniqueName(t, prefix),
		"name":       uniqueName(t, "成员"),
		"department": []int64{dept},
		"mobile":     uniqueMobile(t),
	}
}

func mustGetUser(t *testing.T, app *workwx.WorkwxApp, userid string) *workwx.UserInfo {
	t.Helper()
	u, err := app.GetUser(userid)
	if err != nil {
		t.Fatalf("GetUser(%q): %v", userid, err)
	}
	return u
}

// detailOf turns what GetUser decoded back into the UserDetail UpdateUser sends: the
// read-modify-write an integration does, since UpdateUser sends every field without omitempty
// (an enable of 0 and empty position, telephone and alias included).
func detailOf(u *workwx.UserInfo) *workwx.UserDetail {
	d := &workwx.UserDetail{
		UserID:    u.UserID,
		Name:      u.Name,
		Position:  u.Position,
		Mobile:    u.Mobile,
		Gender:    strconv.Itoa(int(u.Gender)),
		Email:     u.Email,
		AvatarURL: u.AvatarURL,
		Telephone: u.Telephone,
		Alias:     u.Alias,
		QRCodeURL: u.QRCodeURL,
	}
	if u.IsEnabled {
		d.IsEnabled = 1
	}
	for _, dep := range u.Departments {
		d.DeptIDs = append(d.DeptIDs, dep.DeptID)
		d.DeptOrder = append(d.DeptOrder, dep.Order)
		leader := 0
		if dep.IsLeader {
			leader = 1
		}
		d.IsLeaderInDept = append(d.IsLeaderInDept, leader)
	}
	return d
}

// lastObject is the last answer the recorder saw for path, as top-level fields.
func lastObject(t *testing.T, rec *recorder, path string) map[string]json.RawMessage {
	t.Helper()
	ex := lastTo(t, rec, path)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(ex.Body, &m); err != nil {
		t.Fatalf("%s answered no JSON object: %v: %s", path, err, ex.Body)
	}
	return m
}

// sameJSON compares a raw JSON value with the JSON text want, ignoring formatting and key
// order.
func sameJSON(raw json.RawMessage, want string) bool {
	var a, b interface{}
	if json.Unmarshal(raw, &a) != nil || json.Unmarshal([]byte(want), &b) != nil {
		return false
	}
	return reflect.DeepEqual(a, b)
}

func wantJSON(t *testing.T, obj map[string]json.RawMessage, key, want string) {
	t.Helper()
	v, ok := obj[key]
	if !ok {
		t.Errorf("%q missing from the answer", key)
		return
	}
	if !sameJSON(v, want) {
		t.Errorf("%q is %s, want %s", key, v, want)
	}
}

func userIDs(us []*workwx.UserInfo) []string {
	out := make([]string, 0, len(us))
	for _, u := range us {
		out = append(out, u.UserID)
	}
	return out
}

func wantCode(t *testing.T, what string, err error, code int64) {
	t.Helper()
	if ce := clientError(t, err); ce.Code != code {
		t.Errorf("%s: want errcode %d, got %v", what, code, ce)
	}
}
