#include "directory/member_changes.hpp"

#include <algorithm>

#include "directory/text.hpp"

namespace corphub::directory {

static std::string DepartmentsText(const Member& m) {
  return JoinedWithCommas(
      m.departments, [](const MemberDepartment& d) { return std::to_string(d.department_id); });
}
static std::string LeaderFlagsText(const Member& m) {
  return JoinedWithCommas(
      m.departments, [](const MemberDepartment& d) { return std::string(d.leader ? "1" : "0"); });
}
static std::string DirectLeadersText(const Member& m) {
  return JoinedWithCommas(m.direct_leaders, [](const std::string& s) { return s; });
}

// The fields of WeCom's change_contact event (create_user / update_user), for those in `names`
// (every field when `names` is null).
void EventFields(const Member& m, const std::vector<std::string>* names,
                 core::JsonObjectWriter& out) {
  auto wanted = [&](std::string_view n) {
    return names == nullptr || std::find(names->begin(), names->end(), n) != names->end();
  };
  if (wanted("name")) out.Str("Name", m.name);
  if (wanted("department")) out.Str("Department", DepartmentsText(m));
  if (wanted("main_department")) out.Int("MainDepartment", m.main_department);
  if (wanted("is_leader_in_dept")) out.Str("IsLeaderInDept", LeaderFlagsText(m));
  if (wanted("direct_leader")) out.Str("DirectLeader", DirectLeadersText(m));
  if (wanted("position")) out.Str("Position", m.position);
  if (wanted("mobile")) out.Str("Mobile", m.mobile);
  if (wanted("gender")) out.Int("Gender", m.gender);
  if (wanted("email")) out.Str("Email", m.email);
  if (wanted("biz_mail")) out.Str("BizMail", m.biz_mail);
  if (wanted("status")) out.Int("Status", static_cast<int>(m.Status()));
  if (wanted("alias")) out.Str("Alias", m.alias);
  if (wanted("telephone")) out.Str("Telephone", m.telephone);
  if (wanted("address")) out.Str("Address", m.address);
}

// The names of the fields that differ between two versions of a member.
std::vector<std::string> ChangedFields(const Member& a, const Member& b) {
  std::vector<std::string> out;
  auto check = [&](bool differs, const char* name) {
    if (differs) out.emplace_back(name);
  };
  auto ids = [](const Member& m) {
    std::vector<std::int64_t> v;
    for (const auto& d : m.departments) v.push_back(d.department_id);
    return v;
  };
  auto orders = [](const Member& m) {
    std::vector<std::int64_t> v;
    for (const auto& d : m.departments) v.push_back(d.order);
    return v;
  };
  check(a.userid != b.userid, "userid");
  check(a.name != b.name, "name");
  check(a.alias != b.alias, "alias");
  check(a.mobile != b.mobile, "mobile");
  check(a.email != b.email, "email");
  check(a.biz_mail != b.biz_mail, "biz_mail");
  check(a.position != b.position, "position");
  check(a.gender != b.gender, "gender");
  check(a.telephone != b.telephone, "telephone");
  check(a.address != b.address, "address");
  check(ids(a) != ids(b), "department");
  check(orders(a) != orders(b), "order");
  check(LeaderFlagsText(a) != LeaderFlagsText(b), "is_leader_in_dept");
  check(a.main_department != b.main_department, "main_department");
  check(a.direct_leaders != b.direct_leaders, "direct_leader");
  check(a.external_position != b.external_position, "external_position");
  check(a.extattr_json != b.extattr_json, "extattr");
  check(a.external_profile_json != b.external_profile_json, "external_profile");
  check(a.enable != b.enable, "enable");
  check(a.Status() != b.Status(), "status");
  check(a.external_id != b.external_id, "external_id");
  return out;
}

std::string FieldsDetail(const std::vector<std::string>& fields) {
  return core::JsonObjectWriter().Strs("fields", fields).Done();
}

}  // namespace corphub::directory
