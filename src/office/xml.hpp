#pragma once
// A small, linear, forgiving XML scanner for the few SpreadsheetML parts the XLSX reader needs,
// and the escaping the writer needs. Not a validating parser: no DTDs (DOCTYPE is skipped and
// its entities are never expanded), no namespaces beyond dropping prefixes, and malformed input
// ends the token stream instead of failing.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace corphub::office::xml {

enum class Token {
  kStart,  // <name attr="v"> or <name/> (self_closing())
  kEnd,    // </name>
  kText,   // character data, raw: entities are not decoded yet (AppendDecoded does that)
  kCdata,  // <![CDATA[...]]>: text() is the contents, taken as is
  kEof,    // the end of the document, or of what could be read of it
};

class Scanner {
 public:
  explicit Scanner(std::string_view doc);  // a UTF-8 byte order mark is skipped

  // Moves to the next token; comments, processing instructions and DOCTYPE are skipped.
  Token Next();
  Token token() const { return token_; }
  // The element's local name: "x:c" gives "c".
  std::string_view name() const { return name_; }
  bool self_closing() const { return self_closing_; }
  std::string_view text() const { return text_; }
  // The raw (undecoded) value of the start tag's attribute whose local name is `local`
  // ("r:id" answers "id"; xmlns declarations are never matched).
  std::optional<std::string_view> Attr(std::string_view local) const;

 private:
  std::string_view doc_;
  std::size_t pos_ = 0;
  Token token_ = Token::kEof;
  std::string_view name_;
  std::string_view attrs_;
  std::string_view text_;
  bool self_closing_ = false;
};

// Appends character data with its entities decoded (&amp; &lt; &gt; &quot; &apos;, &#NNN;,
// &#xHHH;), line ends normalised (CR LF and CR to LF, as XML prescribes) and invalid UTF-8
// replaced by U+FFFD. Unknown entities are kept as written. With `entities` false (CDATA
// sections) only the line ends and UTF-8 are seen to.
void AppendDecoded(std::string& out, std::string_view raw, bool entities = true);
std::string Decoded(std::string_view raw);

// Appends `utf8` escaped for element text or attribute values: & < > " become entities, CR
// (and in attributes TAB and LF) become character references, characters XML 1.0 does not allow
// (other C0 controls, U+FFFE, U+FFFF) are dropped, and invalid UTF-8 becomes U+FFFD.
void AppendEscaped(std::string& out, std::string_view utf8, bool attribute = false);

// Appends the code point as UTF-8 (invalid ones as U+FFFD).
void AppendUtf8(std::string& out, char32_t cp);

}  // namespace corphub::office::xml
