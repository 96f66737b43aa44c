// The WeCom callback as a receiver would read it, from src/'s pieces: the <xml> envelope through
// the XML scanner, <Encrypt>'s text base64-decoded, AES-256-CBC decrypted with a fixed key (the IV
// is its first 16 bytes, as WeCom does), WeCom's 32-byte PKCS#7 padding removed, then the
// plaintext's layout (16 random bytes, a 4-byte big-endian length, the message, the receiveid) and
// the message's own XML. The input is also sealed the way WeCom seals a message and must come back
// out unchanged, and base64, hex, padding, AES and XML escaping are each checked to round-trip.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "callback/callback_xml.hpp"
#include "callback_seal.hpp"
#include "core/csv.hpp"
#include "crypto/aes.hpp"
#include "crypto/encoding.hpp"
#include "crypto/wecom_crypt.hpp"
#include "fuzz_support.hpp"
#include "office/xml.hpp"

namespace {

namespace crypto = corphub::crypto;
namespace xml = corphub::office::xml;
using corphub::fuzz::kCallbackKey;
using corphub::fuzz::kReceiveId;
using corphub::fuzz::kWecomBlock;
using corphub::fuzz::Within;

std::string_view Iv() { return corphub::fuzz::CallbackIv(); }

struct EnvelopeFields {
  std::string to_user;
  std::string encrypt;
  std::string agent_id;
};

// Walks a whole document, checking what the scanner promises of every token.
void ScanAll(std::string_view doc) {
  xml::Scanner sc(doc);
  std::size_t tokens = 0;
  while (sc.Next() != xml::Token::kEof) {
    FUZZ_CHECK(++tokens <= doc.size());  // linear: every token uses up input
    switch (sc.token()) {
      case xml::Token::kStart:
        FUZZ_CHECK(Within(sc.name(), doc));
        if (auto v = sc.Attr("type")) FUZZ_CHECK(Within(*v, doc));
        break;
      case xml::Token::kEnd:
        FUZZ_CHECK(Within(sc.name(), doc));
        break;
      case xml::Token::kText:
      case xml::Token::kCdata:
        FUZZ_CHECK(Within(sc.text(), doc));
        FUZZ_CHECK(!sc.text().empty() || sc.token() == xml::Token::kCdata);
        (void)xml::Decoded(sc.text());
        break;
      case xml::Token::kEof:
        break;
    }
  }
  FUZZ_CHECK(sc.Next() == xml::Token::kEof);  // the end stays the end
}

// The text of <ToUserName>, <Encrypt> and <AgentID> (entities decoded, CDATA as is).
EnvelopeFields ReadEnvelope(std::string_view doc) {
  EnvelopeFields env;
  xml::Scanner sc(doc);
  std::string* into = nullptr;
  while (sc.Next() != xml::Token::kEof) {
    if (sc.token() == xml::Token::kStart) {
      into = nullptr;
      if (sc.name() == "ToUserName") into = &env.to_user;
      if (sc.name() == "Encrypt") into = &env.encrypt;
      if (sc.name() == "AgentID") into = &env.agent_id;
      if (sc.self_closing()) into = nullptr;
    } else if (sc.token() == xml::Token::kEnd) {
      into = nullptr;
    } else if (into != nullptr) {
      xml::AppendDecoded(*into, sc.text(), sc.token() == xml::Token::kText);
    }
  }
  return env;
}

struct Plaintext {
  std::string message;
  std::string receive_id;
};

// Base64, decrypt, unpad, split: nullopt wherever a receiver would refuse the message.
std::optional<Plaintext> Open(std::string_view encrypt) {
  auto cipher = crypto::Base64Decode(encrypt);
  if (!cipher) return std::nullopt;
  FUZZ_CHECK(crypto::Base64Encode(*cipher) == encrypt);  // one accepted encoding per byte string
  auto padded = crypto::Aes256CbcDecrypt(kCallbackKey, Iv(), *cipher, crypto::Padding::kNone);
  if (!padded) {
    FUZZ_CHECK(cipher->size() % crypto::kAesBlockBytes != 0);
    return std::nullopt;
  }
  FUZZ_CHECK(padded->size() == cipher->size());
  auto plain = crypto::Pkcs7Unpad(*padded, kWecomBlock);
  if (!plain) return std::nullopt;
  if (plain->size() < 20) return std::nullopt;
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>((*plain)[i]); };
  const std::size_t length = (std::size_t{byte(16)} << 24) | (std::size_t{byte(17)} << 16) |
                             (std::size_t{byte(18)} << 8) | std::size_t{byte(19)};
  if (length > plain->size() - 20) return std::nullopt;
  return Plaintext{plain->substr(20, length), plain->substr(20 + length)};
}

void CheckReceiver(std::string_view input) {
  ScanAll(input);
  const EnvelopeFields env = ReadEnvelope(input);
  if (env.encrypt.empty()) return;
  if (auto plain = Open(env.encrypt)) ScanAll(plain->message);
}

void CheckSealedRoundTrip(std::string_view message) {
  const std::string random16(16, '\x5a');
  const auto encrypt = corphub::fuzz::Seal(message, random16);
  FUZZ_CHECK(encrypt.has_value());
  const EnvelopeFields env = ReadEnvelope(corphub::fuzz::Envelope(*encrypt));
  FUZZ_CHECK(env.encrypt == *encrypt && env.agent_id == "1000002" && env.to_user == kReceiveId);
  auto plain = Open(env.encrypt);
  FUZZ_CHECK(plain.has_value());
  FUZZ_CHECK(plain->message == message && plain->receive_id == kReceiveId);
}

void CheckEncodings(std::string_view input) {
  FUZZ_CHECK(crypto::Base64Decode(crypto::Base64Encode(input)) == input);
  if (auto bytes = crypto::Base64Decode(input)) FUZZ_CHECK(crypto::Base64Encode(*bytes) == input);
  FUZZ_CHECK(crypto::HexDecode(crypto::HexEncode(input)) == input);
  if (auto bytes = crypto::HexDecode(input)) {
    std::string lower(input);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
      return c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    FUZZ_CHECK(crypto::HexEncode(*bytes) == lower);
  }
}

void CheckPaddingAndCipher(std::string_view input) {
  FUZZ_CHECK(crypto::Pkcs7Unpad(crypto::Pkcs7Pad(std::string(input), kWecomBlock), kWecomBlock) ==
             input);
  if (auto unpadded = crypto::Pkcs7Unpad(input, kWecomBlock)) {
    FUZZ_CHECK(crypto::Pkcs7Pad(*unpadded, kWecomBlock) == input);
  }
  if (!input.empty()) {  // any block size a padding byte can express
    const std::size_t block =
        static_cast<unsigned char>(input[0]) == 0 ? 1 : static_cast<unsigned char>(input[0]);
    const std::string_view rest = input.substr(1);
    FUZZ_CHECK(crypto::Pkcs7Unpad(crypto::Pkcs7Pad(std::string(rest), block), block) == rest);
    if (auto unpadded = crypto::Pkcs7Unpad(rest, block)) {
      FUZZ_CHECK(crypto::Pkcs7Pad(*unpadded, block) == rest);
    }
  }
  // CBC without padding is a permutation of whole blocks.
  const std::string_view blocks = input.substr(0, input.size() - input.size() % 16);
  auto plain = crypto::Aes256CbcDecrypt(kCallbackKey, Iv(), blocks, crypto::Padding::kNone);
  FUZZ_CHECK(plain.has_value());
  FUZZ_CHECK(crypto::Aes256CbcEncrypt(kCallbackKey, Iv(), *plain, crypto::Padding::kNone) ==
             blocks);
  if (auto p = crypto::Aes256CbcDecrypt(kCallbackKey, Iv(), input, crypto::Padding::kPkcs7)) {
    FUZZ_CHECK(crypto::Aes256CbcEncrypt(kCallbackKey, Iv(), *p, crypto::Padding::kPkcs7) == input);
  }
}

// Text the escaper keeps whole: UTF-8 without the characters it drops (C0 controls other than
// TAB, LF and CR, U+FFFE, U+FFFF).
bool Escapable(std::string_view s) {
  auto text = corphub::core::DecodeText(s);  // refuses NUL; kUtf8 means valid UTF-8
  if (!text.ok() || text->from != corphub::core::TextEncoding::kUtf8) return false;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return s.find("\xEF\xBF\xBE") == std::string_view::npos &&
         s.find("\xEF\xBF\xBF") == std::string_view::npos;
}

void CheckXmlEscaping(std::string_view input) {
  std::string text;
  std::string attr;
  xml::AppendEscaped(text, input);
  xml::AppendEscaped(attr, input, /*attribute=*/true);
  FUZZ_CHECK(text.find('<') == std::string::npos && attr.find('"') == std::string::npos);
  if (!Escapable(input)) return;
  FUZZ_CHECK(xml::Decoded(text) == input);
  FUZZ_CHECK(xml::Decoded(attr) == input);
  const std::string doc = "<a v=\"" + attr + "\">" + text + "</a>";
  xml::Scanner sc(doc);
  FUZZ_CHECK(sc.Next() == xml::Token::kStart && sc.name() == "a");
  auto v = sc.Attr("v");
  FUZZ_CHECK(v.has_value() && xml::Decoded(*v) == input);
  if (!text.empty()) {
    FUZZ_CHECK(sc.Next() == xml::Token::kText && xml::Decoded(sc.text()) == input);
  }
  FUZZ_CHECK(sc.Next() == xml::Token::kEnd && sc.name() == "a");
}

}  // namespace

// corphub's own side (src/callback, crypto/wecom_crypt): what a receiver answers is read without
// harm, and what corphub seals and writes comes back out whole.
void CheckCorphubSide(std::string_view input) {
  namespace cb = corphub::callback;
  static const auto crypt = crypto::WecomCrypt::Make(
      "fuzzToken", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", std::string(kReceiveId));
  FUZZ_CHECK(crypt.has_value());
  (void)cb::TopFields(input);
  if (auto reply = cb::ReadSealedReply(input)) {
    (void)crypt->Verify(reply->signature, reply->timestamp, reply->nonce, reply->encrypt);
    auto opened = crypt->Open(reply->encrypt);
    if (opened.message) (void)cb::TopFields(*opened.message);
  }
  (void)crypt->Open(input);
  const std::string sealed = crypt->SealWith(input, "0123456789abcdef");
  auto opened = crypt->Open(sealed);
  FUZZ_CHECK(opened.message.has_value() && *opened.message == input);
  FUZZ_CHECK(cb::TopFields(cb::Envelope(kReceiveId, 1000002, sealed))["Encrypt"] == sealed);
  if (Escapable(input) && input.find('\r') == std::string_view::npos) {
    auto fields = cb::TopFields(cb::XmlMessage().Text("Content", input).Done());
    FUZZ_CHECK(fields["Content"] == input);
  }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = corphub::fuzz::AsText(data, size);
  CheckReceiver(input);
  CheckSealedRoundTrip(input);
  CheckEncodings(input);
  CheckPaddingAndCipher(input);
  CheckXmlEscaping(input);
  CheckCorphubSide(input);
  return 0;
}
