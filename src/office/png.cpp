#include "office/png.hpp"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

namespace corphub::office {

namespace {

void PutU32(std::string& out, std::uint32_t v) {
  out += static_cast<char>((v >> 24) & 0xFF);
  out += static_cast<char>((v >> 16) & 0xFF);
  out += static_cast<char>((v >> 8) & 0xFF);
  out += static_cast<char>(v & 0xFF);
}

void Chunk(std::string& out, const char* type, const std::string& data) {
  PutU32(out, static_cast<std::uint32_t>(data.size()));
  std::string body(type, 4);
  body += data;
  out += body;
  PutU32(out, static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(body.data()),
                                               static_cast<uInt>(body.size()))));
}

}  // namespace

std::string PngOfBits(const std::vector<bool>& dark, int width, int height) {
  const auto w = static_cast<std::size_t>(width);
  const auto h = static_cast<std::size_t>(height);
  const std::size_t row_bytes = (w + 7) / 8;
  std::string raw;
  raw.reserve(h * (row_bytes + 1));
  for (std::size_t y = 0; y < h; ++y) {
    raw += '\0';  // filter: none
    std::string row(row_bytes, '\0');
    for (std::size_t x = 0; x < w; ++x) {
      if (!dark[y * w + x]) {  // greyscale 1 is white
        row[x / 8] = static_cast<char>(static_cast<unsigned char>(row[x / 8]) | (0x80u >> (x % 8)));
      }
    }
    raw += row;
  }
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &size,
                reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()),
                Z_BEST_COMPRESSION) != Z_OK) {
    throw std::runtime_error("png: deflate failed");
  }
  packed.resize(size);

  std::string out("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  PutU32(header, static_cast<std::uint32_t>(width));
  PutU32(header, static_cast<std::uint32_t>(height));
  header += '\x01';                // bit depth
  header += '\x00';                // greyscale
  header += std::string(3, '\0');  // deflate, adaptive filtering, no interlace
  Chunk(out, "IHDR", header);
  Chunk(out, "IDAT", packed);
  Chunk(out, "IEND", "");
  return out;
}

std::string QrPng(const core::QrCode& qr, int pixels) {
  const int modules = qr.Size() + 8;
  const int side = std::max(pixels, modules);
  const int scale = side / modules;
  const int margin = (side - qr.Size() * scale) / 2;
  const auto n = static_cast<std::size_t>(side);
  std::vector<bool> dark(n * n, false);
  for (int y = 0; y < qr.Size(); ++y) {
    for (int x = 0; x < qr.Size(); ++x) {
      if (!qr.Dark(x, y)) continue;
      for (int dy = 0; dy < scale; ++dy) {
        for (int dx = 0; dx < scale; ++dx) {
          dark[static_cast<std::size_t>(margin + y * scale + dy) * n +
               static_cast<std::size_t>(margin + x * scale + dx)] = true;
        }
      }
    }
  }
  return PngOfBits(dark, side, side);
}

}  // namespace corphub::office
