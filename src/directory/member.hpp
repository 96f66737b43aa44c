#pragma once
// A member of the organisation, as WeCom's user object describes one (reference §2), plus
// corphub's external account id. Field rules live in MemberService.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace corphub::directory {

// WeCom's user status as answered: derived from `enable` and `state`.
enum class MemberStatus : int { kActive = 1, kDisabled = 2, kNotActivated = 4, kLeft = 5 };

// Whether the member has activated (or left); `enable` 0 reports as disabled on top of this.
enum class MemberState : int { kActive = 1, kNotActivated = 4, kLeft = 5 };

// One of the member's departments, with the member's order there (larger sorts first) and
// whether the member leads it.
struct MemberDepartment {
  std::int64_t department_id = 0;
  std::int64_t order = 0;
  bool leader = false;
};

struct Member {
  std::int64_t org_id = 0;
  std::int64_t id = 0;  // storage's key, in creation order; never shown on /cgi-bin
  std::string userid;   // as created; unique within the organisation ignoring ASCII case
  std::string name;
  std::string alias;
  std::string mobile;
  std::string email;
  std::string biz_mail;
  std::string position;
  int gender = 0;  // 0 unknown, 1 male, 2 female
  std::string avatar;
  std::string telephone;
  std::string address;
  std::vector<MemberDepartment> departments;  // in the member's own order; never empty
  std::int64_t main_department = 0;           // one of departments
  std::vector<std::string> direct_leaders;    // userids
  std::string external_position;
  std::string extattr_json = R"({"attrs":[]})";  // canonical JSON, validated by the API layer
  std::string external_profile_json = "{}";      // JSON object, as given
  bool enable = true;
  MemberState state = MemberState::kNotActivated;
  std::string external_id;  // the seed's IM id: the member's account elsewhere
  std::string openid;       // fixed at creation (convert_to_openid)
  core::TimePoint created_at{};
  core::TimePoint updated_at{};

  MemberStatus Status() const {
    if (state == MemberState::kLeft) return MemberStatus::kLeft;
    if (!enable) return MemberStatus::kDisabled;
    return state == MemberState::kActive ? MemberStatus::kActive : MemberStatus::kNotActivated;
  }
  bool InDepartment(std::int64_t department_id) const {
    for (const auto& d : departments) {
      if (d.department_id == department_id) return true;
    }
    return false;
  }
};

// The fields a create or update carries: each present one is set, the others left alone
// (create fills defaults). Values arrive already decoded from JSON; MemberService checks them.
struct MemberFields {
  std::optional<std::string> name;
  std::optional<std::string> alias;
  std::optional<std::string> mobile;
  std::optional<std::string> email;
  std::optional<std::string> biz_mail;
  std::optional<std::string> position;
  std::optional<int> gender;
  std::optional<std::string> telephone;
  std::optional<std::string> address;
  std::optional<std::vector<std::int64_t>> departments;
  std::optional<std::vector<std::int64_t>> orders;
  std::optional<std::vector<std::int64_t>> leader_flags;  // 0 or 1 each
  std::optional<std::int64_t> main_department;
  std::optional<std::vector<std::string>> direct_leaders;
  std::optional<std::string> external_position;
  std::optional<std::string> extattr_json;
  std::optional<std::string> external_profile_json;
  std::optional<std::int64_t> enable;  // 0 or 1
  std::optional<std::string> external_id;
};

struct NewMember {
  std::string userid;
  MemberFields fields;
};

struct MemberChange {
  std::string userid;
  std::optional<std::string> new_userid;
  MemberFields fields;
};

// The form userids are compared in: ASCII-lowercased.
inline std::string UseridKey(std::string_view userid) {
  std::string key(userid);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}
// An e-mail address as compared: ASCII-lowercased too.
inline std::string EmailKey(std::string_view email) { return UseridKey(email); }
// A mobile number as compared: without spaces and hyphens.
inline std::string MobileKey(std::string_view mobile) {
  std::string key;
  for (char c : mobile) {
    if (c != ' ' && c != '-') key += c;
  }
  return key;
}

}  // namespace corphub::directory
