package compat

import (
	"encoding/json"
	"io"
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xen0n/go-workwx"
)

// go-workwx v1.7.0's app group chats (appchat.go): CreateAppchat(*ChatInfo) posts the ChatInfo
// as it is (chatid, name, owner: "" when unset; userlist) and returns the chatid;
// GetAppchat(chatID) GETs appchat/get?chatid= and returns *ChatInfo; UpdateAppchat(ChatInfo,
// add, del) posts the whole ChatInfo (name "" and owner "" when unset, userlist null) plus
// add_user_list and del_user_list (null when nil). Sending to a chat is the ordinary
// Send*Message with &Recipient{ChatID: id} and nothing else in it: the SDK then posts
// appchat/send with chatid, agentid, msgtype, safe and the type's object, and reads no answer
// beyond the errcode. (GetAppChatList / GetAppChatInfo, despite their names, are the
// externalcontact customer-group calls.)
//
// Every chat message sent is looked up in the members' inboxes through the member API
// (/api/v1/conversations/{agentid}/messages?chatid=).

type chatOrg struct {
	app   appInfo
	rec   *recorder
	wx    *workwx.WorkwxApp
	media map[string]*workwx.MediaUploadResult
	sessionCache
}

var (
	chatOrgOnce sync.Once
	chatOrgVal  *chatOrg
)

func chats(t *testing.T) *chatOrg {
	t.Helper()
	chatOrgOnce.Do(func() {
		o := &chatOrg{rec: &recorder{}, sessionCache: newSessionCache()}
		o.app = createApp(t, "群聊助手")
		o.wx = newAgentApp(o.app, o.rec)
		o.media = uploadEach(t, o.wx)
		chatOrgVal = o
	})
	if chatOrgVal == nil {
		t.Fatal("the appchat tests' setup failed in an earlier test")
	}
	return chatOrgVal
}

// chatMembers creates n members in the root department (raw user/create: go-workwx has none).
func chatMembers(t *testing.T, n int) []string {
	t.Helper()
	out := make([]string, n)
	for i := range out {
		out[i] = createUser(t, minimalUser(t, "chat", 1))
	}
	return out
}

var chatIDPattern = regexp.MustCompile(`^[0-9A-Za-z]{1,32}$`)

// newChatID is a chatid nobody else in the run has (only 0-9 a-z A-Z).
func newChatID(t *testing.T) string {
	t.Helper()
	return "Go" + strings.ReplaceAll(uniqueName(t, "chat"), "-", "x")
}

func mustCreateChat(t *testing.T, o *chatOrg, info workwx.ChatInfo) string {
	t.Helper()
	id, err := o.wx.CreateAppchat(&info)
	if err != nil {
		t.Fatalf("CreateAppchat(%+v): %v", info, err)
	}
	if !chatIDPattern.MatchString(id) {
		t.Fatalf("CreateAppchat returned chatid %q", id)
	}
	return id
}

func mustGetChat(t *testing.T, o *chatOrg, chatID string) workwx.ChatInfo {
	t.Helper()
	info, err := o.wx.GetAppchat(chatID)
	if err != nil {
		t.Fatalf("GetAppchat(%s): %v", chatID, err)
	}
	if info == nil {
		t.Fatalf("GetAppchat(%s) gave no chat_info", chatID)
	}
	return *info
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func wantChat(t *testing.T, got workwx.ChatInfo, want workwx.ChatInfo) {
	t.Helper()
	got.MemberUserIDs = sortedStrings(got.MemberUserIDs)
	want.MemberUserIDs = sortedStrings(want.MemberUserIDs)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GetAppchat gave %+v, want %+v", got, want)
	}
}

// chatMessage is a message as the member API shows it, with its chatid.
type chatMessage struct {
	Seq      int64           `json:"seq"`
	MsgID    string          `json:"msgid"`
	AgentID  int64           `json:"agentid"`
	ChatID   string          `json:"chatid"`
	MsgType  string          `json:"msgtype"`
	Content  json.RawMessage `json:"content"`
	Safe     int             `json:"safe"`
	ReadAt   *int64          `json:"read_at"`
	Recalled bool            `json:"recalled"`
}

func (m *memberSession) getJSON(t *testing.T, path string, out interface{}) {
	t.Helper()
	resp, err := m.http.Get(serverURL + path)
	if err != nil {
		t.Fatalf("GET %s as %s: %v", path, m.userid, err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s as %s: HTTP %d %s", path, m.userid, resp.StatusCode, text)
	}
	if err := json.Unmarshal(text, out); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, text)
	}
}

// chatMessages is the newest 100 messages of the member's conversation of chat chatID.
func (m *memberSession) chatMessages(t *testing.T, agentID int64, chatID string) []chatMessage {
	t.Helper()
	var page struct {
		Messages []chatMessage `json:"messages"`
	}
	m.getJSON(t, "/api/v1/conversations/"+strconv.FormatInt(agentID, 10)+"/messages?limit=100&chatid="+
		url.QueryEscape(chatID), &page)
	return page.Messages
}

// onlyChatMessage is the one message of the chat in the member's inbox.
func (o *chatOrg) onlyChatMessage(t *testing.T, userid, chatID string) chatMessage {
	t.Helper()
	ms := o.inbox(t, userid).chatMessages(t, o.app.AgentID, chatID)
	if len(ms) != 1 {
		t.Fatalf("%s has %d messages in chat %s, want 1: %+v", userid, len(ms), chatID, ms)
	}
	if ms[0].ChatID != chatID || ms[0].AgentID != o.app.AgentID {
		t.Fatalf("%s's chat message: %+v", userid, ms[0])
	}
	return ms[0]
}

// chatTexts is the text contents of the member's chat messages, newest first.
func (o *chatOrg) chatTexts(t *testing.T, userid, chatID string) []string {
	t.Helper()
	out := []string{}
	for _, m := range o.inbox(t, userid).chatMessages(t, o.app.AgentID, chatID) {
		var c struct {
			Content string `json:"content"`
		}
		_ = json.Unmarshal(m.Content, &c)
		out = append(out, c.Content)
	}
	return out
}

func (o *chatOrg) lastChatRequest(t *testing.T) map[string]interface{} {
	t.Helper()
	ex := lastTo(t, o.rec, "/cgi-bin/appchat/send")
	var m map[string]interface{}
	if err := json.Unmarshal(ex.RequestBody, &m); err != nil {
		t.Fatalf("the SDK sent no JSON object to appchat/send: %v: %s", err, ex.RequestBody)
	}
	return m
}

func TestAppchatCreateAndGet(t *testing.T) {
	o := chats(t)
	m := chatMembers(t, 3)
	id := mustCreateChat(t, o, workwx.ChatInfo{Name: "项目群", MemberUserIDs: m})
	// the SDK sent chatid "" and owner "": a chatid is made up and the first member owns it
	wantChat(t, mustGetChat(t, o, id), workwx.ChatInfo{ChatID: id, Name: "项目群", OwnerUserID: m[0], MemberUserIDs: m})

	given := newChatID(t)
	long := strings.Repeat("群", 55)
	got := mustCreateChat(t, o, workwx.ChatInfo{ChatID: given, Name: long, OwnerUserID: m[2], MemberUserIDs: m[1:]})
	if got != given {
		t.Errorf("CreateAppchat with chatid %s returned %s", given, got)
	}
	// the name is cut to 50 characters
	wantChat(t, mustGetChat(t, o, given), workwx.ChatInfo{ChatID: given, Name: strings.Repeat("群", 50),
		OwnerUserID: m[2], MemberUserIDs: m[1:]})
}

func TestAppchatUpdate(t *testing.T) {
	o := chats(t)
	m := chatMembers(t, 4)
	id := mustCreateChat(t, o, workwx.ChatInfo{Name: "旧名", MemberUserIDs: m[:3]})
	if err := o.wx.UpdateAppchat(workwx.ChatInfo{ChatID: id, Name: "新名"}, []string{m[3]}, []string{m[2]}); err != nil {
		t.Fatalf("UpdateAppchat: %v", err)
	}
	wantChat(t, mustGetChat(t, o, id), workwx.ChatInfo{ChatID: id, Name: "新名", OwnerUserID: m[0],
		MemberUserIDs: []string{m[0], m[1], m[3]}})
	// a new owner, the name sent again as the SDK needs
	if err := o.wx.UpdateAppchat(workwx.ChatInfo{ChatID: id, Name: "新名", OwnerUserID: m[3]}, nil, nil); err != nil {
		t.Fatalf("UpdateAppchat owner: %v", err)
	}
	if got := mustGetChat(t, o, id); got.OwnerUserID != m[3] || got.Name != "新名" {
		t.Errorf("after the owner change: %+v", got)
	}
	// the owner must stay a member
	wantCode(t, "removing the owner", o.wx.UpdateAppchat(workwx.ChatInfo{ChatID: id, Name: "新名"}, nil, []string{m[3]}), 40058)
	wantCode(t, "an unknown userid", o.wx.UpdateAppchat(workwx.ChatInfo{ChatID: id, Name: "新名"},
		[]string{uniqueName(t, "ghost")}, nil), 40031)
	wantCode(t, "an unknown chatid", o.wx.UpdateAppchat(workwx.ChatInfo{ChatID: newChatID(t), Name: "x"}, nil, nil), 86001)
	if got := mustGetChat(t, o, id); got.OwnerUserID != m[3] || len(got.MemberUserIDs) != 3 {
		t.Errorf("a failed update changed the chat: %+v", got)
	}
}

// UpdateAppchat without a name sends "name": "" (the SDK has no way to leave it out), as it
// sends "owner": "". WeCom's docs say to leave name out when it does not change.
func TestAppchatUpdateWithoutNameKeepsTheName(t *testing.T) {
	o := chats(t)
	m := chatMembers(t, 3)
	id := mustCreateChat(t, o, workwx.ChatInfo{Name: "保留名", MemberUserIDs: m[:2]})
	if err := o.wx.UpdateAppchat(workwx.ChatInfo{ChatID: id}, []string{m[2]}, nil); err != nil {
		t.Fatalf("UpdateAppchat(add): %v", err)
	}
	var sent map[string]interface{}
	_ = json.Unmarshal(lastTo(t, o.rec, "/cgi-bin/appchat/update").RequestBody, &sent)
	if sent["name"] != "" || sent["owner"] != "" {
		t.Fatalf("the SDK sent %v", sent)
	}
	got := mustGetChat(t, o, id)
	if len(got.MemberUserIDs) != 3 || got.OwnerUserID != m[0] {
		t.Errorf("after adding a member: %+v", got)
	}
	if got.Name == "" {
		t.Fatalf("appchat/update with \"name\": \"\" (as UpdateAppchat sends when only members change) blanked the name")
	}
	if got.Name != "保留名" {
		t.Errorf("name %q, want 保留名", got.Name)
	}
}

func TestAppchatSendEachType(t *testing.T) {
	o := chats(t)
	media := func(typ string) string { return o.media[typ].MediaID }
	articles := []workwx.Article{{Title: "中秋节礼品领取", Description: "豪礼相送", URL: "https://e.example/gift",
		PicURL: "https://e.example/gift.png"}}
	mparticles := []workwx.MPArticle{{Title: "开学通知", ThumbMediaID: media("image"), Author: "教务处",
		ContentSourceURL: "https://e.example/n", Content: "<p>开学</p>", Digest: "开学安排"}}
	cases := []struct {
		name    string
		send    func(to *workwx.Recipient) error
		msgtype string
		content interface{}
	}{
		{"text", func(to *workwx.Recipient) error { return o.wx.SendTextMessage(to, "明天下午三点开会", false) },
			"text", map[string]string{"content": "明天下午三点开会"}},
		{"image", func(to *workwx.Recipient) error { return o.wx.SendImageMessage(to, media("image"), false) },
			"image", map[string]string{"media_id": media("image")}},
		{"voice", func(to *workwx.Recipient) error { return o.wx.SendVoiceMessage(to, media("voice"), false) },
			"voice", map[string]string{"media_id": media("voice")}},
		{"video", func(to *workwx.Recipient) error {
			return o.wx.SendVideoMessage(to, media("video"), "第三章", "实验演示", false)
		}, "video", map[string]string{"media_id": media("video"), "title": "实验演示", "description": "第三章"}},
		{"file", func(to *workwx.Recipient) error { return o.wx.SendFileMessage(to, media("file"), false) },
			"file", map[string]string{"media_id": media("file")}},
		{"textcard", func(to *workwx.Recipient) error {
			return o.wx.SendTextCardMessage(to, "领奖通知", "<div>9月26日</div>", "https://e.example/prize", "更多", false)
		}, "textcard", map[string]string{"title": "领奖通知", "description": "<div>9月26日</div>",
			"url": "https://e.example/prize", "btntxt": "更多"}},
		{"news", func(to *workwx.Recipient) error { return o.wx.SendNewsMessage(to, articles, false) },
			"news", map[string]interface{}{"articles": []map[string]string{{"title": "中秋节礼品领取",
				"description": "豪礼相送", "url": "https://e.example/gift", "picurl": "https://e.example/gift.png"}}}},
		{"mpnews", func(to *workwx.Recipient) error { return o.wx.SendMPNewsMessage(to, mparticles, false) },
			"mpnews", map[string]interface{}{"articles": mparticles}},
		{"markdown", func(to *workwx.Recipient) error { return o.wx.SendMarkdownMessage(to, "**会议** 15:00", false) },
			"markdown", map[string]string{"content": "**会议** 15:00"}},
	}
	for _, c := range cases {
		c := c
		t.Run(c.name, func(t *testing.T) {
			m := chatMembers(t, 2)
			id := mustCreateChat(t, o, workwx.ChatInfo{Name: "群 " + c.name, MemberUserIDs: m})
			if err := c.send(&workwx.Recipient{ChatID: id}); err != nil {
				t.Fatalf("send %s to chat %s: %v", c.name, id, err)
			}
			req := o.lastChatRequest(t)
			if req["chatid"] != id || req["msgtype"] != c.msgtype {
				t.Errorf("the SDK sent %v", req)
			}
			for _, u := range m {
				msg := o.onlyChatMessage(t, u, id)
				if msg.MsgType != c.msgtype || msg.Safe != 0 || msg.Recalled || msg.ReadAt != nil {
					t.Errorf("%s's message %+v", u, msg)
				}
				wantContent(t, &inboxMessage{MsgType: msg.MsgType, Content: msg.Content}, c.content)
				// not in the app's own conversation
				if own := o.inbox(t, u).messages(t, o.app.AgentID); len(own) != 0 {
					t.Errorf("%s has %d messages in the app's own conversation", u, len(own))
				}
			}
		})
	}
}

func TestAppchatConversation(t *testing.T) {
	o := chats(t)
	m := chatMembers(t, 2)
	id := mustCreateChat(t, o, workwx.ChatInfo{Name: "会话群", MemberUserIDs: m})
	if err := o.wx.SendTextMessage(&workwx.Recipient{ChatID: id}, "群消息", true); err != nil {
		t.Fatal(err)
	}
	if err := o.wx.SendTextMessage(&workwx.Recipient{UserIDs: []string{m[0]}}, "应用消息", false); err != nil {
		t.Fatal(err)
	}
	var convs struct {
		Conversations []struct {
			AgentID int64  `json:"agentid"`
			ChatID  string `json:"chatid"`
			Name    string `json:"name"`
			AppName string `json:"app_name"`
			Unread  int    `json:"unread"`
		} `json:"conversations"`
	}
	o.inbox(t, m[0]).getJSON(t, "/api/v1/conversations", &convs)
	if len(convs.Conversations) != 2 {
		t.Fatalf("%s has conversations %+v, want the app's and the chat's", m[0], convs.Conversations)
	}
	for _, c := range convs.Conversations {
		want := map[bool]string{true: "会话群", false: o.app.Name}[c.ChatID == id]
		if c.AgentID != o.app.AgentID || (c.ChatID != id && c.ChatID != "") || c.Name != want ||
			c.AppName != o.app.Name || c.Unread != 1 {
			t.Errorf("conversation %+v", c)
		}
	}
	if msg := o.onlyChatMessage(t, m[1], id); msg.Safe != 1 {
		t.Errorf("the SDK's isSafe=true: %+v", msg)
	}
	if texts := o.chatTexts(t, m[0], id); !reflect.DeepEqual(texts, []string{"群消息"}) {
		t.Errorf("chat messages %v", texts)
	}
}

func TestAppchatRemovedMember(t *testing.T) {
	o := chats(t)
	m := chatMembers(t, 3)
	id := mustCreateChat(t, o, workwx.ChatInfo{Name: "退群", MemberUserIDs: m})
	to := &workwx.Recipient{ChatID: id}
	if err := o.wx.SendTextMessage(to, "第一条", false); err != nil {
		t.Fatal(err)
	}
	if err := o.wx.UpdateAppchat(workwx.ChatInfo{ChatID: id, Name: "退群"}, nil, []string{m[2]}); err != nil {
		t.Fatal(err)
	}
	if err := o.wx.SendTextMessage(to, "第二条", false); err != nil {
		t.Fatal(err)
	}
	if got := o.chatTexts(t, m[1], id); !reflect.DeepEqual(got, []string{"第二条", "第一条"}) {
		t.Errorf("%s has %v", m[1], got)
	}
	if got := o.chatTexts(t, m[2], id); !reflect.DeepEqual(got, []string{"第一条"}) {
		t.Errorf("the removed %s has %v", m[2], got)
	}
}

func TestAppchatErrors(t *testing.T) {
	o := chats(t)
	m := chatMembers(t, 3)
	id := mustCreateChat(t, o, workwx.ChatInfo{Name: "错误", MemberUserIDs: m[:2]})
	before := mustGetChat(t, o, id)

	// an unknown chatid, and another app's chat, are *WorkwxClientError 86001
	_, err := o.wx.GetAppchat(newChatID(t))
	wantCode(t, "GetAppchat of an unknown chatid", err, 86001)
	wantCode(t, "send to an unknown chatid", o.wx.SendTextMessage(&workwx.Recipient{ChatID: newChatID(t)}, "x", false), 86001)
	other := newAgentApp(createApp(t, "另一个群聊应用"), nil)
	_, err = other.GetAppchat(id)
	wantCode(t, "GetAppchat of another app's chat", err, 86001)
	wantCode(t, "UpdateAppchat of another app's chat", other.UpdateAppchat(workwx.ChatInfo{ChatID: id, Name: "抢"}, nil, nil), 86001)
	wantCode(t, "send to another app's chat", other.SendTextMessage(&workwx.Recipient{ChatID: id}, "x", false), 86001)

	// create
	_, err = o.wx.CreateAppchat(&workwx.ChatInfo{MemberUserIDs: m[:1]})
	wantCode(t, "one member", err, 40058)
	_, err = o.wx.CreateAppchat(&workwx.ChatInfo{MemberUserIDs: m[:2], OwnerUserID: m[2]})
	wantCode(t, "owner outside the list", err, 40058)
	_, err = o.wx.CreateAppchat(&workwx.ChatInfo{ChatID: "bad-chat-id", MemberUserIDs: m[:2]})
	wantCode(t, "a malformed chatid", err, 40058)
	_, err = o.wx.CreateAppchat(&workwx.ChatInfo{ChatID: id, MemberUserIDs: m[1:]})
	wantCode(t, "a taken chatid", err, 40058)
	ghost := uniqueName(t, "Ghost")
	_, err = o.wx.CreateAppchat(&workwx.ChatInfo{MemberUserIDs: []string{m[0], ghost}})
	if ce := clientError(t, err); ce.Code != 40031 || !strings.Contains(strings.ToLower(ce.Msg), strings.ToLower(ghost)) {
		t.Errorf("an unknown userid: %v", ce)
	}
	contacts := newAgentApp(appInfo{CorpID: corpID, Secret: secret, AgentID: o.app.AgentID}, nil)
	_, err = contacts.CreateAppchat(&workwx.ChatInfo{MemberUserIDs: m[:2]})
	wantCode(t, "the contacts token", err, 48002)

	// send: what appchat/send does not take, and message/send's checks
	to := &workwx.Recipient{ChatID: id}
	card := workwx.TemplateCard{CardType: workwx.CardTypeTextNotice, MainTitle: &workwx.MainTitle{Title: "卡片"},
		CardAction: &workwx.CardAction{Type: 1, URL: "https://e.example"}}
	wantCode(t, "template_card", o.wx.SendTemplateCardMessage(to, card, false), 40008)
	wantCode(t, "taskcard", o.wx.SendTaskCardMessage(to, "审批", "请审批", "https://e.example", uniqueName(t, "task"),
		[]workwx.TaskCardBtn{{Key: "ok", Name: "同意"}}, false), 40008)
	wantCode(t, "empty text", o.wx.SendTextMessage(to, "", false), 44004)
	wantCode(t, "empty markdown", o.wx.SendMarkdownMessage(to, "", false), 44004)
	wantCode(t, "bad image media id", o.wx.SendImageMessage(to, "no-such-media-id", false), 40007)
	wantCode(t, "bad file media id", o.wx.SendFileMessage(to, "no-such-media-id", false), 40007)
	wantCode(t, "contacts token send", contacts.SendTextMessage(to, "x", false), 48002)

	for _, u := range m[:2] {
		if ms := o.inbox(t, u).chatMessages(t, o.app.AgentID, id); len(ms) != 0 {
			t.Errorf("a failed send reached %s: %+v", u, ms)
		}
	}
	wantChat(t, mustGetChat(t, o, id), before)
}
