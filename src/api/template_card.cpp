// template_card (reference §5): the card types, what each needs, and only the documented fields
// of every nested object, each checked for its JSON type and WeCom's counts.
#include <span>
#include <string>
#include <utility>

#include "api/message_fields.hpp"

namespace corphub::api::content {
namespace {
// ---- template_card -------------------------------------------------------------------------

// The card's documented fields (doc 90236, 模板卡片消息), as a schema: each object keeps only
// the members named here, converted to the kind named, in this order.
enum class Kind { kString, kInt, kBool, kNumber, kObject, kObjects };

struct Spec {
  std::string_view name;
  Kind kind;
  std::span<const Spec> members = {};  // kObject: its members; kObjects: each item's members
};

constexpr Spec kSource[] = {
    {"icon_url", Kind::kString}, {"desc", Kind::kString}, {"desc_color", Kind::kInt}};
constexpr Spec kActionItem[] = {{"text", Kind::kString}, {"key", Kind::kString}};
constexpr Spec kActionMenu[] = {{"desc", Kind::kString},
                                {"action_list", Kind::kObjects, kActionItem}};
constexpr Spec kTitleDesc[] = {{"title", Kind::kString}, {"desc", Kind::kString}};
constexpr Spec kQuoteArea[] = {{"type", Kind::kInt},     {"url", Kind::kString},
                               {"appid", Kind::kString}, {"pagepath", Kind::kString},
                               {"title", Kind::kString}, {"quote_text", Kind::kString}};
constexpr Spec kHorizontal[] = {{"type", Kind::kInt},        {"keyname", Kind::kString},
                                {"value", Kind::kString},    {"url", Kind::kString},
                                {"media_id", Kind::kString}, {"userid", Kind::kString}};
constexpr Spec kJump[] = {{"type", Kind::kInt},
                          {"title", Kind::kString},
                          {"url", Kind::kString},
                          {"appid", Kind::kString},
                          {"pagepath", Kind::kString}};
constexpr Spec kCardAction[] = {{"type", Kind::kInt},
                                {"url", Kind::kString},
                                {"appid", Kind::kString},
                                {"pagepath", Kind::kString}};
constexpr Spec kCardImage[] = {{"url", Kind::kString}, {"aspect_ratio", Kind::kNumber}};
constexpr Spec kImageTextArea[] = {{"type", Kind::kInt},        {"url", Kind::kString},
                                   {"appid", Kind::kString},    {"pagepath", Kind::kString},
                                   {"title", Kind::kString},    {"desc", Kind::kString},
                                   {"image_url", Kind::kString}};
constexpr Spec kOption[] = {{"id", Kind::kString}, {"text", Kind::kString}};
constexpr Spec kButtonSelection[] = {{"question_key", Kind::kString},
                                     {"title", Kind::kString},
                                     {"option_list", Kind::kObjects, kOption},
                                     {"selected_id", Kind::kString}};
constexpr Spec kButton[] = {{"type", Kind::kInt},
                            {"text", Kind::kString},
                            {"style", Kind::kInt},
                            {"key", Kind::kString},
                            {"url", Kind::kString}};
constexpr Spec kCheckboxOption[] = {
    {"id", Kind::kString}, {"text", Kind::kString}, {"is_checked", Kind::kBool}};
constexpr Spec kCheckbox[] = {{"question_key", Kind::kString},
                              {"option_list", Kind::kObjects, kCheckboxOption},
                              {"mode", Kind::kInt}};
constexpr Spec kSubmitButton[] = {{"text", Kind::kString}, {"key", Kind::kString}};
constexpr Spec kSelect[] = {{"question_key", Kind::kString},
                            {"title", Kind::kString},
                            {"selected_id", Kind::kString},
                            {"option_list", Kind::kObjects, kOption}};
constexpr Spec kCard[] = {
    {"card_type", Kind::kString},
    {"source", Kind::kObject, kSource},
    {"action_menu", Kind::kObject, kActionMenu},
    {"main_title", Kind::kObject, kTitleDesc},
    {"quote_area", Kind::kObject, kQuoteArea},
    {"emphasis_content", Kind::kObject, kTitleDesc},
    {"sub_title_text", Kind::kString},
    {"horizontal_content_list", Kind::kObjects, kHorizontal},
    {"jump_list", Kind::kObjects, kJump},
    {"card_action", Kind::kObject, kCardAction},
    {"card_image", Kind::kObject, kCardImage},
    {"image_text_area", Kind::kObject, kImageTextArea},
    {"vertical_content_list", Kind::kObjects, kTitleDesc},
    {"task_id", Kind::kString},
    {"button_selection", Kind::kObject, kButtonSelection},
    {"button_list", Kind::kObjects, kButton},
    {"checkbox", Kind::kObject, kCheckbox},
    {"submit_button", Kind::kObject, kSubmitButton},
    {"select_list", Kind::kObjects, kSelect},
};

core::Result<json::object> Filter(const json::object& in, std::span<const Spec> specs,
                                  const std::string& path);

// One member converted to its kind; nullopt when absent, null, "" or an empty object or array.
core::Result<std::optional<json::value>> Member(const json::object& in, const Spec& spec,
                                                const std::string& path) {
  using Out = std::optional<json::value>;
  const json::value* v = in.if_contains(spec.name);
  if (v == nullptr || v->is_null()) return Out();
  switch (spec.kind) {
    case Kind::kString: {
      auto s = StringField(in, spec.name);
      if (!s) return Invalid(path + " must be a string");
      if (!*s || (*s)->empty()) return Out();
      return Out(json::value(**s));
    }
    case Kind::kInt: {
      auto n = IntField(in, spec.name, ErrorKind::kInvalidParameter);
      if (!n) return Invalid(path + " must be a number");
      if (!*n) return Out();
      return Out(json::value(**n));
    }
    case Kind::kBool: {
      if (v->is_string() && v->get_string().empty()) return Out();
      auto b = BoolOf(*v);
      if (!b) return Invalid(path + " must be a bool");
      return Out(json::value(*b));
    }
    case Kind::kNumber: {
      if (v->is_string() && v->get_string().empty()) return Out();
      auto n = NumberOf(*v);
      if (!n) return Invalid(path + " must be a number");
      return Out(std::move(*n));
    }
    case Kind::kObject: {
      if (!v->is_object()) return Invalid(path + " must be an object");
      auto obj = Filter(v->get_object(), spec.members, path);
      if (!obj) return std::move(obj).error();
      if (obj->empty()) return Out();
      return Out(json::value(std::move(*obj)));
    }
    case Kind::kObjects: {
      if (!v->is_array()) return Invalid(path + " must be an array");
      json::array items;
      const json::array& in_items = v->get_array();
      for (std::size_t i = 0; i < in_items.size(); ++i) {
        if (!in_items[i].is_object()) return Invalid(Indexed(path, i) + " must be an object");
        auto obj = Filter(in_items[i].get_object(), spec.members, Indexed(path, i));
        if (!obj) return std::move(obj).error();
        items.emplace_back(std::move(*obj));
      }
      if (items.empty()) return Out();
      return Out(json::value(std::move(items)));
    }
  }
  return Out();
}

core::Result<json::object> Filter(const json::object& in, std::span<const Spec> specs,
                                  const std::string& path) {
  json::object out;
  for (const Spec& spec : specs) {
    auto member = Member(in, spec, path + "." + std::string(spec.name));
    if (!member) return std::move(member).error();
    if (*member) out.emplace(spec.name, std::move(**member));
  }
  return out;
}

// Readers of the filtered card, whose members have their kinds already.
std::string_view StrAt(const json::object* obj, std::string_view key) {
  const json::value* v = obj == nullptr ? nullptr : obj->if_contains(key);
  return v != nullptr && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}
std::int64_t IntAt(const json::object* obj, std::string_view key) {
  const json::value* v = obj == nullptr ? nullptr : obj->if_contains(key);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}
const json::object* ObjAt(const json::object* obj, std::string_view key) {
  const json::value* v = obj == nullptr ? nullptr : obj->if_contains(key);
  return v != nullptr && v->is_object() ? &v->get_object() : nullptr;
}
const json::array* ArrAt(const json::object* obj, std::string_view key) {
  const json::value* v = obj == nullptr ? nullptr : obj->if_contains(key);
  return v != nullptr && v->is_array() ? &v->get_array() : nullptr;
}
std::size_t CountAt(const json::object* obj, std::string_view key) {
  const json::array* a = ArrAt(obj, key);
  return a == nullptr ? 0 : a->size();
}

core::Status RequireAt(const json::object* obj, std::string_view key, const std::string& path,
                       std::string_view why = {}, ErrorKind kind = ErrorKind::kInvalidParameter) {
  if (obj != nullptr && obj->contains(key)) return core::Ok();
  return core::MakeError(kind, path + "." + std::string(key) + " is required" +
                                   (why.empty() ? "" : " " + std::string(why)));
}

// A jump (card_action, quote_area, jump_list item, image_text_area): type 1 needs its url and
// type 2 its appid.
core::Status CheckJump(const json::object* obj, const std::string& path) {
  std::int64_t type = IntAt(obj, "type");
  if (type == 1) return RequireAt(obj, "url", path, "when type is 1");
  if (type == 2) return RequireAt(obj, "appid", path, "when type is 2");
  return core::Ok();
}

// The items of a list member, each checked by fn(item, path).
template <class Fn>
core::Status EachItem(const json::object* obj, std::string_view key, const std::string& path,
                      Fn fn) {
  const json::array* items = ArrAt(obj, key);
  if (items == nullptr) return core::Ok();
  for (std::size_t i = 0; i < items->size(); ++i) {
    CORPHUB_TRY(fn(&(*items)[i].get_object(), Indexed(path + "." + std::string(key), i)));
  }
  return core::Ok();
}

// horizontal_content_list items: type 1 links its url, 2 a file (media_id), 3 a member.
core::Status CheckHorizontal(const json::object* item, const std::string& path, Content& out) {
  CORPHUB_TRY(RequireAt(item, "keyname", path));
  switch (IntAt(item, "type")) {
    case 1:
      return RequireAt(item, "url", path, "when type is 1");
    case 2:
      CORPHUB_TRY(RequireAt(item, "media_id", path, "when type is 2", ErrorKind::kMissingMediaId));
      AddMedia(out, std::string(StrAt(item, "media_id")), "");
      return core::Ok();
    case 3:
      return RequireAt(item, "userid", path, "when type is 3");
    default:
      return core::Ok();
  }
}

// button_list items: type 1 opens its url; the others call back with their key.
core::Status CheckButton(const json::object* item, const std::string& path) {
  if (IntAt(item, "type") == 1) return RequireAt(item, "url", path, "when type is 1");
  return RequireAt(item, "key", path);
}

// select_list items: a question with 1 to 10 options.
core::Status CheckSelect(const json::object* item, const std::string& path) {
  CORPHUB_TRY(RequireAt(item, "question_key", path));
  return CheckCount(CountAt(item, "option_list"), 1, 10, path + ".option_list");
}

core::Status CheckCard(const json::object& card, Content& out) {
  const std::string path = "template_card";
  const json::object* c = &card;
  std::string_view card_type = StrAt(c, "card_type");
  bool text_notice = card_type == "text_notice";
  bool news_notice = card_type == "news_notice";
  bool buttons = card_type == "button_interaction";
  bool vote = card_type == "vote_interaction";
  bool multiple = card_type == "multiple_interaction";
  if (!text_notice && !news_notice && !buttons && !vote && !multiple) {
    return Invalid(path +
                   ".card_type must be text_notice, news_notice, button_interaction, "
                   "vote_interaction or multiple_interaction");
  }
  out.wants_response_code = buttons || vote || multiple;

  std::string_view task_id = StrAt(c, "task_id");
  CORPHUB_TRY(CheckMax(task_id, Bytes(kTaskIdBytes), path + ".task_id"));
  for (char ch : task_id) {
    if (!IsTaskIdChar(ch)) return Invalid(path + ".task_id may hold only 0-9, a-z, A-Z and _-@");
  }
  if (out.wants_response_code) {
    CORPHUB_TRY(RequireAt(c, "task_id", path, "for " + std::string(card_type)));
  }
  if (const json::object* menu = ObjAt(c, "action_menu")) {
    CORPHUB_TRY(CheckCount(CountAt(menu, "action_list"), 1, 3, path + ".action_menu.action_list"));
    CORPHUB_TRY(RequireAt(c, "task_id", path, "with action_menu"));
  }

  CORPHUB_TRY(
      CheckCount(CountAt(c, "horizontal_content_list"), 0, 6, path + ".horizontal_content_list"));
  CORPHUB_TRY(EachItem(c, "horizontal_content_list", path,
                       [&](const json::object* item, const std::string& p) {
                         return CheckHorizontal(item, p, out);
                       }));
  CORPHUB_TRY(CheckCount(CountAt(c, "jump_list"), 0, 3, path + ".jump_list"));
  CORPHUB_TRY(EachItem(c, "jump_list", path, CheckJump));
  CORPHUB_TRY(
      CheckCount(CountAt(c, "vertical_content_list"), 0, 4, path + ".vertical_content_list"));
  CORPHUB_TRY(CheckJump(ObjAt(c, "quote_area"), path + ".quote_area"));
  CORPHUB_TRY(CheckJump(ObjAt(c, "image_text_area"), path + ".image_text_area"));

  const json::object* action = ObjAt(c, "card_action");
  if (text_notice || news_notice) {
    CORPHUB_TRY(RequireAt(c, "card_action", path, "for " + std::string(card_type)));
    std::int64_t type = IntAt(action, "type");
    if (type != 1 && type != 2) {
      return Invalid(path + ".card_action.type must be 1 or 2 for " + std::string(card_type));
    }
  }
  CORPHUB_TRY(CheckJump(action, path + ".card_action"));

  const json::object* main_title = ObjAt(c, "main_title");
  if (text_notice && !(main_title && main_title->contains("title")) &&
      !c->contains("sub_title_text")) {
    return Invalid(path + ".main_title.title or " + path + ".sub_title_text is required");
  }
  if (news_notice) {
    CORPHUB_TRY(RequireAt(main_title, "title", path + ".main_title", "for news_notice"));
    if (!c->contains("card_image") && !c->contains("image_text_area")) {
      return Invalid(path + ".card_image or " + path + ".image_text_area is required");
    }
  }

  if (const json::object* selection = ObjAt(c, "button_selection")) {
    CORPHUB_TRY(RequireAt(selection, "question_key", path + ".button_selection"));
    CORPHUB_TRY(CheckCount(CountAt(selection, "option_list"), 1, 10,
                           path + ".button_selection.option_list"));
  }
  if (buttons) {
    CORPHUB_TRY(CheckCount(CountAt(c, "button_list"), 1, 6, path + ".button_list"));
  }
  CORPHUB_TRY(CheckCount(CountAt(c, "button_list"), 0, 6, path + ".button_list"));
  CORPHUB_TRY(EachItem(c, "button_list", path, CheckButton));
  if (vote) {
    CORPHUB_TRY(RequireAt(c, "checkbox", path, "for vote_interaction"));
    const json::object* checkbox = ObjAt(c, "checkbox");
    CORPHUB_TRY(RequireAt(checkbox, "question_key", path + ".checkbox"));
    CORPHUB_TRY(
        CheckCount(CountAt(checkbox, "option_list"), 1, 20, path + ".checkbox.option_list"));
  }
  if (multiple) {
    CORPHUB_TRY(CheckCount(CountAt(c, "select_list"), 1, 3, path + ".select_list"));
    CORPHUB_TRY(EachItem(c, "select_list", path, CheckSelect));
  }
  if (vote || multiple) {
    CORPHUB_TRY(RequireAt(c, "submit_button", path, "for " + std::string(card_type)));
    CORPHUB_TRY(RequireAt(ObjAt(c, "submit_button"), "key", path + ".submit_button"));
  }

  std::string_view preview = StrAt(main_title, "title");
  if (preview.empty()) preview = StrAt(c, "sub_title_text");
  out.preview = TruncateChars(preview, kPreviewChars);
  return core::Ok();
}

}  // namespace

core::Status DecodeTemplateCard(const json::object& in, json::object& body, Content& out) {
  auto card = Filter(in, kCard, "template_card");
  if (!card) return std::move(card).error();
  CORPHUB_TRY(CheckCard(*card, out));
  body = std::move(*card);
  return core::Ok();
}

}  // namespace corphub::api::content
