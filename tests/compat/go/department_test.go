package compat

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/xen0n/go-workwx"
	"github.com/xen0n/go-workwx/errcodes"
)

// go-workwx v1.7.0's department API: CreateDept (department/create, a JSON POST of DeptInfo
// with omitempty id/name/name_en), ListAllDepts / ListDepts (department/list) and
// SimpleListAllDepts / SimpleListDepts (department/simplelist), all decoding into DeptInfo
// (ID int64, ParentID int64, Order uint32). It has no update or delete.

func uniqueName(t *testing.T, prefix string) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return prefix + "-" + hex.EncodeToString(b)
}

func mustCreate(t *testing.T, app *workwx.WorkwxApp, d workwx.DeptInfo) int64 {
	t.Helper()
	id, err := app.CreateDept(&d)
	if err != nil {
		t.Fatalf("CreateDept(%+v): %v", d, err)
	}
	if id <= 1 {
		t.Fatalf("CreateDept(%+v) returned id %d", d, id)
	}
	return id
}

func deptIDs(ds []*workwx.DeptInfo) []int64 {
	out := make([]int64, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func maxDeptID(t *testing.T, app *workwx.WorkwxApp) int64 {
	t.Helper()
	all, err := app.ListAllDepts()
	if err != nil {
		t.Fatalf("ListAllDepts: %v", err)
	}
	var m int64
	for _, d := range all {
		if d.ID > m {
			m = d.ID
		}
	}
	return m
}

// lastTo is the last exchange the recorder saw for path.
func lastTo(t *testing.T, rec *recorder, path string) exchange {
	t.Helper()
	ex := rec.all()
	for i := len(ex) - 1; i >= 0; i-- {
		if ex[i].URL.Path == path {
			return ex[i]
		}
	}
	t.Fatalf("no request to %s among %v", path, ex)
	return exchange{}
}

func TestDepartmentsCreateAndList(t *testing.T) {
	rec := &recorder{}
	app := newApp(corpID, secret, rec)

	all, err := app.ListAllDepts()
	if err != nil {
		t.Fatalf("ListAllDepts: %v", err)
	}
	if len(all) == 0 || all[0].ID != 1 || all[0].Name == "" {
		t.Fatalf("the whole tree should start with the named root department 1, got %+v", all)
	}

	parentName := uniqueName(t, "研发中心")
	parent := mustCreate(t, app, workwx.DeptInfo{Name: parentName, NameEn: "R&D", ParentID: 1, Order: 50})
	create := lastTo(t, rec, "/cgi-bin/department/create")
	if create.Method != "POST" || create.Status != 200 {
		t.Fatalf("create was %s -> HTTP %d", create.Method, create.Status)
	}

	explicit := maxDeptID(t, app) + 100
	low := mustCreate(t, app, workwx.DeptInfo{ID: explicit, Name: "后端", ParentID: parent, Order: 1})
	if low != explicit {
		t.Fatalf("CreateDept with ID %d returned %d", explicit, low)
	}
	auto := mustCreate(t, app, workwx.DeptInfo{Name: "前端", ParentID: parent, Order: 4294967295})
	if auto != explicit+1 {
		t.Fatalf("an id left out should be max+1 = %d, got %d", explicit+1, auto)
	}
	leaf := mustCreate(t, app, workwx.DeptInfo{Name: "Web", ParentID: auto, Order: 3})

	sub, err := app.ListDepts(parent)
	if err != nil {
		t.Fatalf("ListDepts(%d): %v", parent, err)
	}
	if want := []int64{parent, auto, leaf, low}; !equalIDs(deptIDs(sub), want) {
		t.Fatalf("ListDepts(%d) = %v, want pre-order %v", parent, deptIDs(sub), want)
	}
	wantInfo := []workwx.DeptInfo{
		{ID: parent, Name: parentName, NameEn: "R&D", ParentID: 1, Order: 50},
		{ID: auto, Name: "前端", ParentID: parent, Order: 4294967295},
		{ID: leaf, Name: "Web", ParentID: auto, Order: 3},
		{ID: low, Name: "后端", ParentID: parent, Order: 1},
	}
	for i, d := range sub {
		if *d != wantInfo[i] {
			t.Errorf("department %d decoded as %+v, want %+v", i, *d, wantInfo[i])
		}
	}

	// The wire types behind the decode: numbers, not strings, and an empty leader list.
	list := lastTo(t, rec, "/cgi-bin/department/list")
	if list.URL.Query().Get("id") == "" {
		t.Fatalf("ListDepts sent no id: %s", list.URL)
	}
	var raw struct {
		Department []map[string]json.RawMessage `json:"department"`
	}
	dec := json.NewDecoder(bytes.NewReader(list.Body))
	if err := dec.Decode(&raw); err != nil || len(raw.Department) != 4 {
		t.Fatalf("department/list body: %v: %s", err, list.Body)
	}
	for _, d := range raw.Department {
		for _, k := range []string{"id", "parentid", "order"} {
			v := d[k]
			if len(v) == 0 || v[0] < '0' || v[0] > '9' {
				t.Fatalf("%s is not a JSON number in %s", k, list.Body)
			}
		}
		if string(d["department_leader"]) != "[]" {
			t.Fatalf("department_leader is %s, want []", d["department_leader"])
		}
	}

	whole, err := app.ListAllDepts()
	if err != nil {
		t.Fatalf("ListAllDepts: %v", err)
	}
	if whole[0].ID != 1 {
		t.Fatalf("whole tree starts with %d", whole[0].ID)
	}
	pos := map[int64]int{}
	for i, d := range whole {
		pos[d.ID] = i
	}
	if !(pos[parent] < pos[auto] && pos[auto] < pos[leaf] && pos[leaf] < pos[low]) {
		t.Fatalf("whole tree is not in pre-order: %v", deptIDs(whole))
	}

	simple, err := app.SimpleListDepts(parent)
	if err != nil {
		t.Fatalf("SimpleListDepts(%d): %v", parent, err)
	}
	if !equalIDs(deptIDs(simple), deptIDs(sub)) {
		t.Fatalf("SimpleListDepts = %v, want %v", deptIDs(simple), deptIDs(sub))
	}
	for i, d := range simple {
		want := wantInfo[i]
		want.Name, want.NameEn = "", ""
		if *d != want {
			t.Errorf("simplelist entry %d decoded as %+v, want %+v", i, *d, want)
		}
	}
	simpleAll, err := app.SimpleListAllDepts()
	if err != nil {
		t.Fatalf("SimpleListAllDepts: %v", err)
	}
	if !equalIDs(deptIDs(simpleAll), deptIDs(whole)) {
		t.Fatalf("SimpleListAllDepts = %v, ListAllDepts = %v", deptIDs(simpleAll), deptIDs(whole))
	}
	sl := lastTo(t, rec, "/cgi-bin/department/simplelist")
	if bytes.Contains(sl.Body, []byte(`"name"`)) || !bytes.Contains(sl.Body, []byte(`"department_id"`)) {
		t.Fatalf("simplelist body: %s", sl.Body)
	}
}

func TestDepartmentErrors(t *testing.T) {
	app := newApp(corpID, secret, nil)
	parent := mustCreate(t, app, workwx.DeptInfo{Name: uniqueName(t, "errors"), ParentID: 1})
	name := uniqueName(t, "dup")
	taken := mustCreate(t, app, workwx.DeptInfo{Name: name, ParentID: parent})
	missing := maxDeptID(t, app) + 1000

	before, err := app.ListAllDepts()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		what string
		info workwx.DeptInfo
		want int64
	}{
		{"duplicate sibling name", workwx.DeptInfo{Name: name, ParentID: parent}, errcodes.ErrCode60008},
		{"taken id", workwx.DeptInfo{ID: taken, Name: uniqueName(t, "x"), ParentID: parent}, errcodes.ErrCode60008},
		{"unknown parent", workwx.DeptInfo{Name: uniqueName(t, "x"), ParentID: missing}, errcodes.ErrCode60004},
		// ParentID has no omitempty: the SDK sends "parentid":0.
		{"parent 0", workwx.DeptInfo{Name: uniqueName(t, "x")}, errcodes.ErrCode60004},
		// Name is omitempty: an empty name is not sent at all.
		{"no name", workwx.DeptInfo{ParentID: parent}, errcodes.ErrCode60001},
		{"illegal character", workwx.DeptInfo{Name: "a<b", ParentID: parent}, 60009},
	}
	for _, c := range cases {
		t.Run(c.what, func(t *testing.T) {
			info := c.info
			id, err := app.CreateDept(&info)
			if ce := clientError(t, err); ce.Code != c.want {
				t.Fatalf("want errcode %d, got %v", c.want, ce)
			}
			if id != 0 {
				t.Fatalf("a failed create returned id %d", id)
			}
		})
	}
	after, err := app.ListAllDepts()
	if err != nil {
		t.Fatal(err)
	}
	if !equalIDs(deptIDs(before), deptIDs(after)) {
		t.Fatalf("failed creates changed the tree: %v -> %v", deptIDs(before), deptIDs(after))
	}

	if _, err := app.ListDepts(missing); clientError(t, err).Code != errcodes.ErrCode60003 {
		t.Fatalf("ListDepts(unknown): want 60003, got %v", err)
	}
	if _, err := app.SimpleListDepts(missing); clientError(t, err).Code != errcodes.ErrCode60003 {
		t.Fatalf("SimpleListDepts(unknown): want 60003, got %v", err)
	}
}
