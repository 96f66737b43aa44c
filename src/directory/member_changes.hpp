#pragma once
// What a member change tells: the fields of WeCom's change_contact event (create_user,
// update_user) and the names of the fields that changed, for the audit record.
#include <string>
#include <vector>

#include "core/json_writer.hpp"
#include "directory/member.hpp"

namespace corphub::directory {

// The event's fields for those in `names` (every field when `names` is null).
void EventFields(const Member& m, const std::vector<std::string>* names,
                 core::JsonObjectWriter& out);
// The names of the fields that differ between two versions of a member.
std::vector<std::string> ChangedFields(const Member& a, const Member& b);
// {"fields": [...]}, the audit record's detail.
std::string FieldsDetail(const std::vector<std::string>& fields);

}  // namespace corphub::directory
