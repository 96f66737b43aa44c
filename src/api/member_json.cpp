#include "api/member_json.hpp"

#include "core/log.hpp"

namespace corphub::api {
namespace {

using directory::Member;

// The member object written straight into the answer: user/list of a large department answers
// thousands of these, and building a JSON tree for each costs more than the query.
class MemberJson {
 public:
  explicit MemberJson(std::string& out) : out_(out) {}

  void Full(const Member& m) {
    out_ += '{';
    Str("userid", m.userid, true);
    Str("name", m.name);
    Key("department");
    Ints(m.departments, [](const directory::MemberDepartment& d) { return d.department_id; });
    Key("order");
    Ints(m.departments, [](const directory::MemberDepartment& d) { return d.order; });
    Str("position", m.position);
    Str("mobile", m.mobile);
    Str("gender", std::to_string(m.gender));
    Str("email", m.email);
    Str("biz_mail", m.biz_mail);
    Key("is_leader_in_dept");
    Ints(m.departments,
         [](const directory::MemberDepartment& d) -> std::int64_t { return d.leader ? 1 : 0; });
    Key("direct_leader");
    out_ += '[';
    for (std::size_t i = 0; i < m.direct_leaders.size(); ++i) {
      if (i) out_ += ',';
      Quoted(m.direct_leaders[i]);
    }
    out_ += ']';
    Str("avatar", m.avatar);
    Str("thumb_avatar", "");
    Str("telephone", m.telephone);
    Str("alias", m.alias);
    Str("address", m.address);
    Str("open_userid", "");
    Int("main_department", m.main_department);
    Raw("extattr", m.extattr_json, R"({"attrs":[]})");
    Int("status", static_cast<int>(m.Status()));
    Str("qr_code", "");
    Str("external_position", m.external_position);
    Raw("external_profile", m.external_profile_json, "{}");
    Int("enable", m.enable ? 1 : 0);
    Str("external_id", m.external_id);
    out_ += '}';
  }

  void Simple(const Member& m) {
    out_ += '{';
    Str("userid", m.userid, true);
    Str("name", m.name);
    Key("department");
    Ints(m.departments, [](const directory::MemberDepartment& d) { return d.department_id; });
    Str("open_userid", "");
    out_ += '}';
  }

 private:
  void Key(std::string_view key, bool first = false) {
    if (!first) out_ += ',';
    out_ += '"';
    out_ += key;
    out_ += "\":";
  }
  void Quoted(std::string_view value) {
    out_ += '"';
    core::AppendJsonEscaped(out_, value);
    out_ += '"';
  }
  void Str(std::string_view key, std::string_view value, bool first = false) {
    Key(key, first);
    Quoted(value);
  }
  void Int(std::string_view key, std::int64_t value) {
    Key(key);
    out_ += std::to_string(value);
  }
  // Stored JSON (written by this API's own serializer), or the fallback when there is none.
  void Raw(std::string_view key, const std::string& json_text, std::string_view fallback) {
    Key(key);
    out_ += json_text.empty() ? fallback : std::string_view(json_text);
  }
  template <class F>
  void Ints(const std::vector<directory::MemberDepartment>& ds, F&& value) {
    out_ += '[';
    for (std::size_t i = 0; i < ds.size(); ++i) {
      if (i) out_ += ',';
      out_ += std::to_string(value(ds[i]));
    }
    out_ += ']';
  }

  std::string& out_;
};

}  // namespace

// {"errcode":0,"errmsg":"ok","userlist":[...]} without a JSON tree in between.
std::string UserList(const std::vector<Member>& members, bool simple) {
  std::string fields;
  fields.reserve(members.size() * (simple ? 96 : 640) + 16);
  fields += "\"userlist\":[";
  MemberJson writer(fields);
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i) fields += ',';
    if (simple) {
      writer.Simple(members[i]);
    } else {
      writer.Full(members[i]);
    }
  }
  fields += ']';
  return fields;
}

// The members of one member object, for user/get's flat answer.
std::string MemberFieldsJson(const Member& m) {
  std::string one;
  MemberJson(one).Full(m);
  return one.substr(1, one.size() - 2);
}

}  // namespace corphub::api
