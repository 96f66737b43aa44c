package compat

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/xen0n/go-workwx"
	"github.com/xen0n/go-workwx/errcodes"
)

// go-workwx v1.7.0's member API: GetUser (GET user/get), UpdateUser (JSON POST of UserDetail
// to user/update), ListUsersByDeptID (GET user/list with fetch_child 0/1), GetUserIDByMobile
// (user/getuserid), GetUserIDByEmail (user/get_userid_by_email, email_type 1 when 0 is
// given), ConvertUserIDToOpenID / ConvertOpenIDToUserID, GetUserJoinQrcode
// (corp/get_join_qrcode) and GetUserInfoByCode (OAuth user/getuserinfo). It has no create,
// delete, simplelist, list_id or active-stat.
//
// UserDetail decodes userid, name, department []int64, order []uint32, position, mobile,
// gender (a string: a JSON number fails the whole decode), email, is_leader_in_dept []int,
// avatar, telephone, enable, alias, status and qr_code; intoUserInfo then fails unless
// len(order) == len(department) and is_leader_in_dept is empty or as long. It does not decode
// main_department, biz_mail, address, direct_leader, extattr, external_position or
// external_profile: those are checked on the answer the SDK received.

func TestUserGetAllFields(t *testing.T) {
	rec := &recorder{}
	app := newApp(corpID, secret, rec)

	parent := mustCreate(t, app, workwx.DeptInfo{Name: uniqueName(t, "成员读取"), ParentID: 1})
	a := mustCreate(t, app, workwx.DeptInfo{Name: "教学", ParentID: parent})
	b := mustCreate(t, app, workwx.DeptInfo{Name: "科研", ParentID: parent})

	lead1 := createUser(t, minimalUser(t, "lead", parent))
	lead2 := createUser(t, minimalUser(t, "lead", parent))

	userid := uniqueName(t, "ZhangSan")
	mobile := uniqueMobile(t)
	email := uniqueEmail(t, "zhang", "example.com")
	bizMail := uniqueEmail(t, "zs", "corp.example.edu.cn")
	const extattr = `{"attrs":[` +
		`{"type":0,"name":"工号","text":{"value":"A-001"}},` +
		`{"type":1,"name":"主页","web":{"url":"https://example.edu.cn/~zs","title":"个人主页"}}]}`
	const profile = `{"external_corp_name":"示例大学","external_attr":[]}`
	var extattrObj, profileObj interface{}
	if err := json.Unmarshal([]byte(extattr), &extattrObj); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(profile), &profileObj); err != nil {
		t.Fatal(err)
	}
	createUser(t, map[string]interface{}{
		"userid":            userid,
		"name":              "张三",
		"alias":             "Sam",
		"mobile":            mobile,
		"department":        []int64{a, b},
		"order":             []int64{10, 4294967295},
		"is_leader_in_dept": []int{1, 0},
		"main_department":   b,
		"position":          "副教授",
		"gender":            "2",
		"email":             email,
		"biz_mail":          bizMail,
		"telephone":         "010-6275 1234",
		"address":           "北京市海淀区颐和园路5号",
		"direct_leader":     []string{lead1, lead2},
		"extattr":           extattrObj,
		"external_position": "教授",
		"external_profile":  profileObj,
		"enable":            1,
	})

	u := mustGetUser(t, app, userid)
	want := workwx.UserInfo{
		UserID:   userid,
		Name:     "张三",
		Position: "副教授",
		Departments: []workwx.UserDeptInfo{
			{DeptID: a, Order: 10, IsLeader: true},
			{DeptID: b, Order: 4294967295, IsLeader: false},
		},
		Mobile:    mobile,
		Gender:    workwx.UserGenderFemale,
		Email:     email,
		Telephone: "010-6275 1234",
		IsEnabled: true,
		Alias:     "Sam",
		Status:    workwx.UserStatusUnactivated,
	}
	if !reflect.DeepEqual(*u, want) {
		t.Fatalf("GetUser decoded\n %+v\nwant\n %+v", *u, want)
	}

	get := lastTo(t, rec, "/cgi-bin/user/get")
	if get.Method != "GET" || get.Status != 200 || get.URL.Query().Get("userid") != userid {
		t.Fatalf("GetUser sent %s %s -> HTTP %d", get.Method, get.URL, get.Status)
	}
	raw := lastObject(t, rec, "/cgi-bin/user/get")
	wantJSON(t, raw, "errcode", "0")
	wantJSON(t, raw, "errmsg", `"ok"`)
	// The fields UserDetail does not decode, and the wire types behind the ones it does.
	wantJSON(t, raw, "main_department", fmt.Sprint(b))
	wantJSON(t, raw, "biz_mail", `"`+bizMail+`"`)
	wantJSON(t, raw, "address", `"北京市海淀区颐和园路5号"`)
	wantJSON(t, raw, "direct_leader", fmt.Sprintf(`[%q, %q]`, lead1, lead2))
	wantJSON(t, raw, "extattr", extattr)
	wantJSON(t, raw, "external_position", `"教授"`)
	wantJSON(t, raw, "external_profile", profile)
	wantJSON(t, raw, "gender", `"2"`)
	wantJSON(t, raw, "department", fmt.Sprintf("[%d,%d]", a, b))
	wantJSON(t, raw, "order", "[10,4294967295]")
	wantJSON(t, raw, "is_leader_in_dept", "[1,0]")
	wantJSON(t, raw, "status", "4")
	wantJSON(t, raw, "enable", "1")
	for _, k := range []string{"avatar", "thumb_avatar", "qr_code", "open_userid"} {
		wantJSON(t, raw, k, `""`)
	}

	// Lookups ignore case; the answer keeps the spelling the member was created with.
	if up := mustGetUser(t, app, strings.ToUpper(userid)); !reflect.DeepEqual(*up, want) {
		t.Errorf("GetUser(upper case) decoded %+v, want %+v", *up, want)
	}

	// department/list names the leader in department_leader (which DeptInfo does not decode).
	if _, err := app.ListDepts(a); err != nil {
		t.Fatalf("ListDepts(%d): %v", a, err)
	}
	var depts struct {
		Department []struct {
			ID     int64    `json:"id"`
			Leader []string `json:"department_leader"`
		} `json:"department"`
	}
	if err := json.Unmarshal(lastTo(t, rec, "/cgi-bin/department/list").Body, &depts); err != nil ||
		len(depts.Department) != 1 || depts.Department[0].ID != a {
		t.Fatalf("department/list?id=%d: %v: %s", a, err, lastTo(t, rec, "/cgi-bin/department/list").Body)
	}
	if got := depts.Department[0].Leader; !reflect.DeepEqual(got, []string{userid}) {
		t.Errorf("department %d department_leader = %v, want [%s]", a, got, userid)
	}
	if _, err := app.ListDepts(b); err != nil {
		t.Fatalf("ListDepts(%d): %v", b, err)
	}
	if err := json.Unmarshal(lastTo(t, rec, "/cgi-bin/department/list").Body, &depts); err != nil ||
		len(depts.Department) != 1 {
		t.Fatalf("department/list?id=%d: %v", b, err)
	}
	if got := depts.Department[0].Leader; got == nil || len(got) != 0 {
		t.Errorf("department %d department_leader = %#v, want []", b, got)
	}
}

func TestUserGetDefaultsAndStatus(t *testing.T) {
	rec := &recorder{}
	app := newApp(corpID, secret, rec)
	dept := mustCreate(t, app, workwx.DeptInfo{Name: uniqueName(t, "默认值"), ParentID: 1})

	t.Run("defaults", func(t *testing.T) {
		m := minimalUser(t, "plain", dept)
		createUser(t, m)
		u := mustGetUser(t, app, m["userid"].(string))
		want := workwx.UserInfo{
			UserID:      m["userid"].(string),
			Name:        m["name"].(string),
			Departments: []workwx.UserDeptInfo{{DeptID: dept}},
			Mobile:      m["mobile"].(string),
			Gender:      workwx.UserGenderUnspecified,
			IsEnabled:   true,
			Status:      workwx.UserStatusUnactivated,
		}
		if !reflect.DeepEqual(*u, want) {
			t.Fatalf("GetUser decoded %+v, want %+v", *u, want)
		}
		raw := lastObject(t, rec, "/cgi-bin/user/get")
		wantJSON(t, raw, "gender", `"0"`)
		wantJSON(t, raw, "order", "[0]")
		wantJSON(t, raw, "is_leader_in_dept", "[0]")
		wantJSON(t, raw, "main_department", fmt.Sprint(dept))
		wantJSON(t, raw, "extattr", `{"attrs":[]}`)
		wantJSON(t, raw, "external_profile", `{}`)
		wantJSON(t, raw, "direct_leader", `[]`)
		wantJSON(t, raw, "enable", "1")
		wantJSON(t, raw, "status", "4")
	})

	t.Run("gender as a number, e-mail only", func(t *testing.T) {
		userid := uniqueName(t, "male")
		email := uniqueEmail(t, "male", "example.org")
		createUser(t, map[string]interface{}{
			"userid": userid, "name": "李四", "department": dept, "gender": 1, "email": email,
		})
		u := mustGetUser(t, app, userid)
		if u.Gender != workwx.UserGenderMale || u.Email != email || u.Mobile != "" {
			t.Fatalf("GetUser decoded %+v", *u)
		}
		if !reflect.DeepEqual(u.Departments, []workwx.UserDeptInfo{{DeptID: dept}}) {
			t.Fatalf("a single department number should be a list of one, got %+v", u.Departments)
		}
		wantJSON(t, lastObject(t, rec, "/cgi-bin/user/get"), "gender", `"1"`)
	})

	t.Run("disabled", func(t *testing.T) {
		m := minimalUser(t, "off", dept)
		m["enable"] = 0
		createUser(t, m)
		u := mustGetUser(t, app, m["userid"].(string))
		if u.IsEnabled || u.Status != workwx.UserStatusDeactivated {
			t.Fatalf("a member created with enable 0: IsEnabled %v, Status %d, want false, 2",
				u.IsEnabled, u.Status)
		}
	})

	t.Run("activated", func(t *testing.T) {
		m := minimalUser(t, "active", dept)
		createUser(t, m)
		authSucc(t, m["userid"].(string))
		u := mustGetUser(t, app, m["userid"].(string))
		if !u.IsEnabled || u.Status != workwx.UserStatusActivated {
			t.Fatalf("after user/authsucc: IsEnabled %v, Status %d, want true, 1", u.IsEnabled, u.Status)
		}
	})
}

func TestUserUpdate(t *testing.T) {
	rec := &recorder{}
	app := newApp(corpID, secret, rec)
	parent := mustCreate(t, app, workwx.DeptInfo{Name: uniqueName(t, "成员更新"), ParentID: 1})
	a := mustCreate(t, app, workwx.DeptInfo{Name: "A", ParentID: parent})
	b := mustCreate(t, app, workwx.DeptInfo{Name: "B", ParentID: parent})
	c := mustCreate(t, app, workwx.DeptInfo{Name: "C", ParentID: parent})
	lead := createUser(t, minimalUser(t, "lead", parent))

	userid := uniqueName(t, "WangWu")
	bizMail := uniqueEmail(t, "ww", "corp.example.edu.cn")
	createUser(t, map[string]interface{}{
		"userid":            userid,
		"name":              "王五",
		"mobile":            uniqueMobile(t),
		"department":        []int64{a, b},
		"order":             []int{10, 5},
		"is_leader_in_dept": []int{1, 0},
		"main_department":   a,
		"position":          "讲师",
		"gender":            "2",
		"biz_mail":          bizMail,
		"address":           "图书馆 201",
		"direct_leader":     []string{lead},
		"extattr":           map[string]interface{}{"attrs": []interface{}{map[string]interface{}{"type": 0, "name": "工号", "text": map[string]string{"value": "W5"}}}},
	})
	openid, err := app.ConvertUserIDToOpenID(userid)
	if err != nil {
		t.Fatalf("ConvertUserIDToOpenID: %v", err)
	}

	// A whole UserDetail: every field UpdateUser sends.
	newMobile := uniqueMobile(t)
	newEmail := uniqueEmail(t, "wangwu", "example.net")
	if err := app.UpdateUser(&workwx.UserDetail{
		UserID:         userid,
		Name:           "王五五",
		DeptIDs:        []int64{b, c},
		DeptOrder:      []uint32{7, 9},
		IsLeaderInDept: []int{0, 1},
		Position:       "教授",
		Mobile:         newMobile,
		Gender:         "1",
		Email:          newEmail,
		Telephone:      "0755-8888 1234",
		IsEnabled:      1,
		Alias:          "Wu",
	}); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
	upd := lastTo(t, rec, "/cgi-bin/user/update")
	if upd.Method != "POST" || !sameJSON(lastObject(t, rec, "/cgi-bin/user/update")["errmsg"], `"updated"`) {
		t.Errorf("user/update: %s", upd)
	}
	u := mustGetUser(t, app, userid)
	want := workwx.UserInfo{
		UserID:   userid,
		Name:     "王五五",
		Position: "教授",
		Departments: []workwx.UserDeptInfo{
			{DeptID: b, Order: 7}, {DeptID: c, Order: 9, IsLeader: true},
		},
		Mobile:    newMobile,
		Gender:    workwx.UserGenderMale,
		Email:     newEmail,
		Telephone: "0755-8888 1234",
		IsEnabled: true,
		Alias:     "Wu",
		Status:    workwx.UserStatusUnactivated,
	}
	if !reflect.DeepEqual(*u, want) {
		t.Fatalf("after UpdateUser GetUser decoded\n %+v\nwant\n %+v", *u, want)
	}
	raw := lastObject(t, rec, "/cgi-bin/user/get")
	// Leaving the main department makes the first one main; what UserDetail cannot send stays.
	wantJSON(t, raw, "main_department", fmt.Sprint(b))
	wantJSON(t, raw, "biz_mail", `"`+bizMail+`"`)
	wantJSON(t, raw, "address", `"图书馆 201"`)
	wantJSON(t, raw, "direct_leader", fmt.Sprintf("[%q]", lead))
	wantJSON(t, raw, "extattr", `{"attrs":[{"type":0,"name":"工号","text":{"value":"W5"}}]}`)
	if got, err := app.GetUserIDByMobile(newMobile); err != nil || got != userid {
		t.Errorf("GetUserIDByMobile(new mobile) = %q, %v; want %q", got, err, userid)
	}

	// A new department list without order or leader flags keeps them for the departments the
	// member stays in (C: 9, leader) and defaults the new one (A: 0). The userid's case does
	// not matter.
	d := detailOf(u)
	d.UserID = strings.ToUpper(userid)
	d.DeptIDs, d.DeptOrder, d.IsLeaderInDept = []int64{c, a}, nil, nil
	if err := app.UpdateUser(d); err != nil {
		t.Fatalf("UpdateUser(departments only): %v", err)
	}
	u = mustGetUser(t, app, userid)
	wantDepts := []workwx.UserDeptInfo{{DeptID: c, Order: 9, IsLeader: true}, {DeptID: a}}
	if u.UserID != userid || !reflect.DeepEqual(u.Departments, wantDepts) {
		t.Fatalf("after a department-only update: %q %+v, want %q %+v", u.UserID, u.Departments,
			userid, wantDepts)
	}
	wantJSON(t, lastObject(t, rec, "/cgi-bin/user/get"), "main_department", fmt.Sprint(c))

	// order alone (department null) applies to the member's departments in their order.
	d = detailOf(u)
	d.DeptIDs, d.DeptOrder, d.IsLeaderInDept = nil, []uint32{1, 2}, nil
	if err := app.UpdateUser(d); err != nil {
		t.Fatalf("UpdateUser(order only): %v", err)
	}
	u = mustGetUser(t, app, userid)
	wantDepts = []workwx.UserDeptInfo{{DeptID: c, Order: 1, IsLeader: true}, {DeptID: a, Order: 2}}
	if !reflect.DeepEqual(u.Departments, wantDepts) {
		t.Fatalf("after an order-only update: %+v, want %+v", u.Departments, wantDepts)
	}

	// The SDK quirk: a bare UserDetail still sends "position":"", "telephone":"", "alias":"",
	// "enable":0 (no omitempty) and null department/order/is_leader_in_dept. The member is
	// disabled and those strings cleared; null lists change nothing; omitempty fields stay.
	before := *u
	if err := app.UpdateUser(&workwx.UserDetail{UserID: userid, Name: "王五"}); err != nil {
		t.Fatalf("UpdateUser(bare detail): %v", err)
	}
	u = mustGetUser(t, app, userid)
	want = before
	want.Name, want.Position, want.Telephone, want.Alias = "王五", "", "", ""
	want.IsEnabled, want.Status = false, workwx.UserStatusDeactivated
	if !reflect.DeepEqual(*u, want) {
		t.Fatalf("after a bare UpdateUser GetUser decoded\n %+v\nwant\n %+v", *u, want)
	}
	d = detailOf(u)
	d.IsEnabled = 1
	if err := app.UpdateUser(d); err != nil {
		t.Fatalf("UpdateUser(enable 1): %v", err)
	}
	if u = mustGetUser(t, app, userid); !u.IsEnabled || u.Status != workwx.UserStatusUnactivated {
		t.Fatalf("re-enabled, never activated: IsEnabled %v, Status %d, want true, 4", u.IsEnabled, u.Status)
	}

	if again, err := app.ConvertUserIDToOpenID(userid); err != nil || again != openid {
		t.Errorf("openid after updates = %q, %v; want the same %q", again, err, openid)
	}
}

func TestUserUpdateErrors(t *testing.T) {
	app := newApp(corpID, secret, nil)
	dept := mustCreate(t, app, workwx.DeptInfo{Name: uniqueName(t, "更新错误"), ParentID: 1})
	other := createUser(t, minimalUser(t, "other", dept))
	otherMobile := mustGetUser(t, app, other).Mobile
	userid := createUser(t, minimalUser(t, "target", dept))
	before := mustGetUser(t, app, userid)
	missingDept := maxDeptID(t, app) + 1000

	cases := []struct {
		what   string
		modify func(d *workwx.UserDetail)
		want   int64
	}{
		{"unknown userid", func(d *workwx.UserDetail) { d.UserID = uniqueName(t, "nobody") }, errcodes.ErrCode60111},
		{"unknown department", func(d *workwx.UserDetail) {
			d.DeptIDs, d.DeptOrder, d.IsLeaderInDept = []int64{missingDept}, nil, nil
		}, errcodes.ErrCode60003},
		{"order longer than department", func(d *workwx.UserDetail) { d.DeptOrder = []uint32{1, 2} }, errcodes.ErrCode40058},
		{"leader flags longer than department", func(d *workwx.UserDetail) { d.IsLeaderInDept = []int{0, 1} }, errcodes.ErrCode40058},
		{"gender 3", func(d *workwx.UserDetail) { d.Gender = "3" }, errcodes.ErrCode40058},
		{"mobile taken", func(d *workwx.UserDetail) { d.Mobile = otherMobile }, errcodes.ErrCode60104},
		{"malformed mobile", func(d *workwx.UserDetail) { d.Mobile = "12a45" }, 60103},
		{"malformed email", func(d *workwx.UserDetail) { d.Email = "not-an-email" }, 60105},
	}
	for _, c := range cases {
		t.Run(c.what, func(t *testing.T) {
			d := detailOf(before)
			c.modify(d)
			wantCode(t, "UpdateUser", app.UpdateUser(d), c.want)
			if after := mustGetUser(t, app, userid); !reflect.DeepEqual(after, before) {
				t.Fatalf("a failed update changed the member: %+v -> %+v", *before, *after)
			}
		})
	}
}

func TestUserListByDept(t *testing.T) {
	rec := &recorder{}
	app := newApp(corpID, secret, rec)
	p := mustCreate(t, app, workwx.DeptInfo{Name: uniqueName(t, "成员列表"), ParentID: 1})
	c1 := mustCreate(t, app, workwx.DeptInfo{Name: "C1", ParentID: p})
	c2 := mustCreate(t, app, workwx.DeptInfo{Name: "C2", ParentID: c1})
	c3 := mustCreate(t, app, workwx.DeptInfo{Name: "C3", ParentID: p})
	empty := mustCreate(t, app, workwx.DeptInfo{Name: "空", ParentID: p})

	mk := func(prefix string, depts []int64, orders []int64) string {
		m := minimalUser(t, prefix, depts[0])
		m["department"], m["order"] = depts, orders
		return createUser(t, m)
	}
	u1 := mk("u1", []int64{p}, []int64{5})
	u2 := mk("u2", []int64{p}, []int64{10})
	u3 := mk("u3", []int64{c1}, []int64{0})
	u4 := mk("u4", []int64{c2, p}, []int64{3, 0})
	u5 := mk("u5", []int64{c3}, []int64{0})
	u6 := mk("u6", []int64{p}, []int64{5})

	list := func(dept int64, child bool) []*workwx.UserInfo {
		t.Helper()
		us, err := app.ListUsersByDeptID(dept, child)
		if err != nil {
			t.Fatalf("ListUsersByDeptID(%d, %v): %v", dept, child, err)
		}
		req := lastTo(t, rec, "/cgi-bin/user/list")
		wantChild := "0"
		if child {
			wantChild = "1"
		}
		if req.Method != "GET" || req.URL.Query().Get("department_id") != fmt.Sprint(dept) ||
			req.URL.Query().Get("fetch_child") != wantChild {
			t.Fatalf("ListUsersByDeptID sent %s %s", req.Method, req.URL)
		}
		return us
	}

	// Directly in p: by order in p, larger first, then by creation (u1 before u6).
	direct := list(p, false)
	if got, want := userIDs(direct), []string{u2, u1, u6, u4}; !reflect.DeepEqual(got, want) {
		t.Fatalf("ListUsersByDeptID(p, false) = %v, want %v", got, want)
	}
	// Full member objects, the same as GetUser decodes.
	for _, u := range direct {
		if g := mustGetUser(t, app, u.UserID); !reflect.DeepEqual(u, g) {
			t.Errorf("user/list entry %+v differs from user/get %+v", *u, *g)
		}
	}
	if u := direct[3]; !reflect.DeepEqual(u.Departments, []workwx.UserDeptInfo{{DeptID: c2, Order: 3}, {DeptID: p}}) {
		t.Errorf("u4's departments decoded as %+v", u.Departments)
	}

	// The whole subtree, each member once (u4 is in p and in c2).
	all := list(p, true)
	got := userIDs(all)
	sort.Strings(got)
	want := []string{u1, u2, u3, u4, u5, u6}
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ListUsersByDeptID(p, true) = %v, want each of %v once", userIDs(all), want)
	}

	if got := userIDs(list(c1, false)); !reflect.DeepEqual(got, []string{u3}) {
		t.Errorf("ListUsersByDeptID(c1, false) = %v, want [%s]", got, u3)
	}
	sub := userIDs(list(c1, true))
	sort.Strings(sub)
	wantSub := []string{u3, u4}
	sort.Strings(wantSub)
	if !reflect.DeepEqual(sub, wantSub) {
		t.Errorf("ListUsersByDeptID(c1, true) = %v, want %v", sub, wantSub)
	}
	if got := userIDs(list(c2, false)); !reflect.DeepEqual(got, []string{u4}) {
		t.Errorf("ListUsersByDeptID(c2, false) = %v, want [%s]", got, u4)
	}

	for _, child := range []bool{false, true} {
		if got := list(empty, child); len(got) != 0 {
			t.Errorf("ListUsersByDeptID(empty, %v) = %v", child, userIDs(got))
		}
		wantJSON(t, lastObject(t, rec, "/cgi-bin/user/list"), "userlist", "[]")
	}

	_, err := app.ListUsersByDeptID(maxDeptID(t, app)+1000, false)
	wantCode(t, "ListUsersByDeptID(unknown)", err, errcodes.ErrCode60003)
}

func TestUserIDByMobileAndEmail(t *testing.T) {
	rec := &recorder{}
	app := newApp(corpID, secret, rec)
	dept := mustCreate(t, app, workwx.DeptInfo{Name: uniqueName(t, "查找"), ParentID: 1})
	mobile := uniqueMobile(t)
	email := uniqueEmail(t, "personal", "example.com")
	bizMail := uniqueEmail(t, "work", "corp.example.edu.cn")
	userid := uniqueName(t, "ZhaoLiu")
	createUser(t, map[string]interface{}{
		"userid": userid, "name": "赵六", "department": []int64{dept},
		"mobile": mobile, "email": email, "biz_mail": bizMail,
	})

	found := func(what, got string, err error) {
		t.Helper()
		if err != nil || got != userid {
			t.Errorf("%s = %q, %v; want %q", what, got, err, userid)
		}
	}

	got, err := app.GetUserIDByMobile(mobile)
	found("GetUserIDByMobile", got, err)
	if ex := lastTo(t, rec, "/cgi-bin/user/getuserid"); ex.Method != "POST" {
		t.Errorf("GetUserIDByMobile sent %s", ex.Method)
	}
	spaced := mobile[:3] + "-" + mobile[3:7] + " " + mobile[7:]
	got, err = app.GetUserIDByMobile(spaced)
	found("GetUserIDByMobile("+spaced+")", got, err)
	_, err = app.GetUserIDByMobile(uniqueMobile(t))
	wantCode(t, "GetUserIDByMobile(unknown)", err, errcodes.ErrCode46004)

	got, err = app.GetUserIDByEmail(bizMail, workwx.EmailTypeCorporate)
	found("GetUserIDByEmail(biz_mail, corporate)", got, err)
	got, err = app.GetUserIDByEmail(bizMail, 0) // the SDK sends 1 for 0
	found("GetUserIDByEmail(biz_mail, 0)", got, err)
	got, err = app.GetUserIDByEmail(email, workwx.EmailTypePersonal)
	found("GetUserIDByEmail(email, personal)", got, err)

	_, err = app.GetUserIDByEmail(email, workwx.EmailTypeCorporate)
	wantCode(t, "GetUserIDByEmail(personal address, corporate)", err, errcodes.ErrCode46004)
	_, err = app.GetUserIDByEmail(bizMail, workwx.EmailTypePersonal)
	wantCode(t, "GetUserIDByEmail(business address, personal)", err, errcodes.ErrCode46004)
	_, err = app.GetUserIDByEmail(uniqueEmail(t, "nobody", "example.com"), workwx.EmailTypeCorporate)
	wantCode(t, "GetUserIDByEmail(unknown)", err, errcodes.ErrCode46004)
	_, err = app.GetUserIDByEmail(bizMail, workwx.EmailType(3))
	wantCode(t, "GetUserIDByEmail(type 3)", err, errcodes.ErrCode40058)
}

func TestUserOpenIDConversion(t *testing.T) {
	rec := &recorder{}
	app := newApp(corpID, secret, rec)
	dept := mustCreate(t, app, workwx.DeptInfo{Name: uniqueName(t, "openid"), ParentID: 1})
	u1 := createUser(t, minimalUser(t, "OpenA", dept))
	u2 := createUser(t, minimalUser(t, "OpenB", dept))

	o1, err := app.ConvertUserIDToOpenID(u1)
	if err != nil || o1 == "" || o1 == u1 {
		t.Fatalf("ConvertUserIDToOpenID(%s) = %q, %v", u1, o1, err)
	}
	if ex := lastTo(t, rec, "/cgi-bin/user/convert_to_openid"); ex.Method != "POST" {
		t.Errorf("ConvertUserIDToOpenID sent %s", ex.Method)
	}
	if again, err := app.ConvertUserIDToOpenID(u1); err != nil || again != o1 {
		t.Errorf("a second conversion = %q, %v; want %q", again, err, o1)
	}
	if upper, err := app.ConvertUserIDToOpenID(strings.ToUpper(u1)); err != nil || upper != o1 {
		t.Errorf("conversion of the upper-case userid = %q, %v; want %q", upper, err, o1)
	}
	o2, err := app.ConvertUserIDToOpenID(u2)
	if err != nil || o2 == "" || o2 == o1 {
		t.Fatalf("ConvertUserIDToOpenID(%s) = %q, %v (the other is %q)", u2, o2, err, o1)
	}

	for userid, openid := range map[string]string{u1: o1, u2: o2} {
		back, err := app.ConvertOpenIDToUserID(openid)
		if err != nil || back != userid {
			t.Errorf("ConvertOpenIDToUserID(%s) = %q, %v; want %q", openid, back, err, userid)
		}
	}

	_, err = app.ConvertUserIDToOpenID(uniqueName(t, "nobody"))
	wantCode(t, "ConvertUserIDToOpenID(unknown)", err, errcodes.ErrCode60111)
	_, err = app.ConvertOpenIDToUserID("o" + o1)
	wantCode(t, "ConvertOpenIDToUserID(unknown)", err, errcodes.ErrCode40073)
}

func TestUserGetErrors(t *testing.T) {
	app := newApp(corpID, secret, nil)
	_, err := app.GetUser(uniqueName(t, "nobody"))
	wantCode(t, "GetUser(unknown)", err, errcodes.ErrCode60111)
	_, err = app.GetUser("")
	wantCode(t, "GetUser(\"\")", err, errcodes.ErrCode41009)
}
