#pragma once
// PNG images (RFC 2083) of black-and-white drawings: one bit per pixel, greyscale, deflated with
// zlib. For QR codes that are served as images (corp/get_join_qrcode).
#include <string>
#include <vector>

#include "core/qr_code.hpp"

namespace corphub::office {

// `dark` holds width x height pixels, row by row; true is black.
std::string PngOfBits(const std::vector<bool>& dark, int width, int height);

// The QR code on a white square of `pixels` per side (at least the symbol plus its four-module
// quiet zone, one pixel per module), modules scaled to whole pixels and centred.
std::string QrPng(const core::QrCode& qr, int pixels);

}  // namespace corphub::office
