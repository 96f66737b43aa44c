#include "directory/member_rules.hpp"

#include <algorithm>
#include <set>
#include <string>

#include "directory/text.hpp"

namespace corphub::directory {
namespace {

using core::ErrorKind;
using core::MakeError;

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// At most `max` characters of valid UTF-8, else `kind`.
core::Status CheckChars(std::string_view field, std::string_view value, std::size_t max,
                        ErrorKind kind, bool may_be_empty = true) {
  auto chars = CountCodePoints(value);
  if (!chars) return MakeError(kind, std::string(field) + " is not valid UTF-8");
  if (*chars == 0 && !may_be_empty) return MakeError(kind, std::string(field) + " is empty");
  if (*chars > max) {
    return MakeError(kind, std::string(field) + " must be at most " + std::to_string(max) +
                               " characters, not " + std::to_string(*chars));
  }
  return core::Ok();
}

core::Status CheckTelephone(std::string_view phone) {
  CORPHUB_TRY(CheckChars("telephone", phone, kMaxTelephoneChars, ErrorKind::kInvalidParameter));
  for (char c : phone) {
    if (!IsDigit(c) && std::string_view("+-() #*").find(c) == std::string_view::npos) {
      return MakeError(ErrorKind::kInvalidParameter,
                       "telephone may hold digits, + - ( ) # * and spaces only");
    }
  }
  return core::Ok();
}

core::Error Invalid(std::string message) {
  return MakeError(ErrorKind::kInvalidParameter, std::move(message));
}

}  // namespace

core::Status CheckUserid(std::string_view userid) {
  if (userid.empty()) return MakeError(ErrorKind::kMissingUserId, "userid missing");
  if (userid.size() > kMaxUseridBytes) {
    return MakeError(ErrorKind::kInvalidUserId, "userid must be at most 64 characters");
  }
  if (!IsAlnum(userid.front())) {
    return MakeError(ErrorKind::kInvalidUserId, "userid must start with a letter or a digit");
  }
  for (char c : userid) {
    if (!IsAlnum(c) && c != '_' && c != '-' && c != '@' && c != '.') {
      return MakeError(ErrorKind::kInvalidUserId,
                       "userid may hold letters, digits and _ - @ . only");
    }
  }
  return core::Ok();
}

core::Status CheckMobile(std::string_view mobile) {
  std::size_t digits = 0;
  std::size_t i = 0;
  if (!mobile.empty() && mobile[0] == '+') i = 1;
  bool after_separator = true;  // no separator first, none twice
  for (; i < mobile.size(); ++i) {
    const char c = mobile[i];
    if (IsDigit(c)) {
      ++digits;
      after_separator = false;
    } else if ((c == ' ' || c == '-') && !after_separator) {
      after_separator = true;
    } else {
      return MakeError(ErrorKind::kMobileInvalid,
                       "mobile must be digits with an optional +country prefix");
    }
  }
  if (after_separator || digits < 5 || digits > 20) {
    return MakeError(ErrorKind::kMobileInvalid, "mobile must hold 5 to 20 digits");
  }
  return core::Ok();
}

core::Status CheckEmail(std::string_view field, std::string_view email) {
  auto bad = [&](std::string why) {
    return MakeError(ErrorKind::kEmailInvalid, std::string(field) + " " + why);
  };
  if (email.size() > kMaxEmailBytes) return bad("must be at most 64 characters");
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return bad("must be one local part, '@' and a domain");
  const std::string_view domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos)
    return bad("needs a domain such as example.com");
  for (char c : email) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F ||
        std::string_view("()<>,;:\\\"[]").find(c) != std::string_view::npos)
      return bad("holds a character an address cannot");
  }
  return core::Ok();
}

core::Status ApplyFields(const MemberFields& f, bool creating, Member& m) {
  if (f.name) {
    CORPHUB_TRY(
        CheckChars("name", *f.name, kMaxMemberNameChars, ErrorKind::kMemberNameInvalid, false));
    m.name = *f.name;
  } else if (creating) {
    return MakeError(ErrorKind::kMemberNameInvalid, "name missing");
  }
  if (f.alias) {
    CORPHUB_TRY(CheckChars("alias", *f.alias, kMaxAliasChars, ErrorKind::kInvalidParameter));
    m.alias = *f.alias;
  }
  if (f.mobile) {
    if (!f.mobile->empty()) CORPHUB_TRY(CheckMobile(*f.mobile));
    m.mobile = *f.mobile;
  }
  if (f.email) {
    if (!f.email->empty()) CORPHUB_TRY(CheckEmail("email", *f.email));
    m.email = *f.email;
  }
  if (f.biz_mail) {
    if (!f.biz_mail->empty()) CORPHUB_TRY(CheckEmail("biz_mail", *f.biz_mail));
    m.biz_mail = *f.biz_mail;
  }
  if (f.position) {
    CORPHUB_TRY(
        CheckChars("position", *f.position, kMaxPositionChars, ErrorKind::kPositionInvalid));
    m.position = *f.position;
  }
  if (f.gender) {
    if (*f.gender < 0 || *f.gender > 2) {
      return Invalid("gender must be 0 (unknown), 1 (male) or 2 (female)");
    }
    m.gender = *f.gender;
  }
  if (f.telephone) {
    CORPHUB_TRY(CheckTelephone(*f.telephone));
    m.telephone = *f.telephone;
  }
  if (f.address) {
    CORPHUB_TRY(CheckChars("address", *f.address, kMaxAddressChars, ErrorKind::kInvalidParameter));
    m.address = *f.address;
  }
  if (f.external_position) {
    CORPHUB_TRY(CheckChars("external_position", *f.external_position, kMaxExternalPositionChars,
                           ErrorKind::kInvalidParameter));
    m.external_position = *f.external_position;
  }
  if (f.external_id) {
    CORPHUB_TRY(CheckChars("external_id", *f.external_id, kMaxExternalIdChars,
                           ErrorKind::kInvalidParameter));
    m.external_id = *f.external_id;
  }
  if (f.extattr_json) m.extattr_json = *f.extattr_json;
  if (f.external_profile_json) m.external_profile_json = *f.external_profile_json;
  if (f.enable) {
    if (*f.enable != 0 && *f.enable != 1) return Invalid("enable must be 0 or 1");
    m.enable = *f.enable == 1;
  }
  if (f.direct_leaders) {
    if (f.direct_leaders->size() > kMaxDirectLeaders) {
      return Invalid("direct_leader may name at most 5 members, not " +
                     std::to_string(f.direct_leaders->size()));
    }
    std::set<std::string> seen;
    std::vector<std::string> leaders;
    for (const auto& l : *f.direct_leaders) {
      CORPHUB_TRY(CheckUserid(l));
      if (seen.insert(UseridKey(l)).second) leaders.push_back(l);
    }
    m.direct_leaders = std::move(leaders);
  }

  // Departments, with the orders and leader flags that go with them.
  if (f.departments) {
    const auto& ids = *f.departments;
    if (ids.empty()) return MakeError(ErrorKind::kMissingDepartment, "department is empty");
    if (ids.size() > kMaxMemberDepartments) {
      return MakeError(
          ErrorKind::kInvalidDepartmentList,
          "a member may be in at most 100 departments, not " + std::to_string(ids.size()));
    }
    std::set<std::int64_t> seen;
    std::vector<MemberDepartment> next;
    for (std::int64_t id : ids) {
      if (id <= 0) {
        return MakeError(ErrorKind::kInvalidDepartmentList,
                         "department " + std::to_string(id) + " is not a department id");
      }
      if (!seen.insert(id).second) {
        return MakeError(ErrorKind::kInvalidDepartmentList,
                         "department " + std::to_string(id) + " is listed twice");
      }
      MemberDepartment d{id, 0, false};
      for (const auto& old : m.departments) {  // staying keeps its order and leader flag
        if (old.department_id == id) d = old;
      }
      next.push_back(d);
    }
    m.departments = std::move(next);
  } else if (creating) {
    return MakeError(ErrorKind::kMissingDepartment, "department missing");
  }
  if (f.orders) {
    if (f.orders->size() != m.departments.size()) {
      return Invalid("order must have one value per department (" +
                     std::to_string(m.departments.size()) + "), not " +
                     std::to_string(f.orders->size()));
    }
    for (std::size_t i = 0; i < f.orders->size(); ++i) {
      const std::int64_t o = (*f.orders)[i];
      if (o < 0 || o > kMaxMemberOrder) {
        return Invalid("order must be 0 to 4294967295, not " + std::to_string(o));
      }
      m.departments[i].order = o;
    }
  }
  if (f.leader_flags) {
    if (f.leader_flags->size() != m.departments.size()) {
      return Invalid("is_leader_in_dept must have one value per department (" +
                     std::to_string(m.departments.size()) + "), not " +
                     std::to_string(f.leader_flags->size()));
    }
    for (std::size_t i = 0; i < f.leader_flags->size(); ++i) {
      const std::int64_t v = (*f.leader_flags)[i];
      if (v != 0 && v != 1) return Invalid("is_leader_in_dept values must be 0 or 1");
      m.departments[i].leader = v == 1;
    }
  }
  if (f.main_department) {
    if (!m.InDepartment(*f.main_department)) {
      return Invalid("main_department " + std::to_string(*f.main_department) +
                     " is not one of the member's departments");
    }
    m.main_department = *f.main_department;
  } else if (!m.departments.empty() && !m.InDepartment(m.main_department)) {
    m.main_department = m.departments.front().department_id;
  }
  return core::Ok();
}

}  // namespace corphub::directory
