#include "src/report/html_page.h"

#include <fstream>
#include <sstream>

#include "src/common/atomic_file.h"
#include "src/common/error.h"

namespace lindiff {

std::string base64(const std::string& bytes) {
  static const char* const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t left = bytes.size() - i;
    std::uint32_t block = static_cast<unsigned char>(bytes[i]) << 16;
    if (left > 1) block |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    if (left > 2) block |= static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(block >> 18) & 63];
    out += alphabet[(block >> 12) & 63];
    out += left > 1 ? alphabet[(block >> 6) & 63] : '=';
    out += left > 2 ? alphabet[block & 63] : '=';
  }
  return out;
}

std::string html_escape(const std::string& text) {
  std::string out;
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += ch;
    }
  }
  return out;
}

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

void HtmlPage::heading(const std::string& text) {
  headings_.push_back(text);
  body_ += "<h2 id=\"s" + std::to_string(headings_.size()) + "\">" + html_escape(text) + "</h2>\n";
}

void HtmlPage::paragraph(const std::string& text) { body_ += "<p>" + html_escape(text) + "</p>\n"; }

void HtmlPage::image(const std::filesystem::path& png, const std::string& caption) {
  std::ifstream in(png, std::ios::binary);
  if (!in) {
    body_ += "<p class=\"missing\">(figure " + html_escape(png.filename().string()) + " was not drawn)</p>\n";
    return;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  body_ += "<figure><img alt=\"" + html_escape(caption) + "\" src=\"data:image/png;base64," + base64(bytes.str()) +
           "\"><figcaption>" + html_escape(caption) + "</figcaption></figure>\n";
}

void HtmlPage::table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  body_ += "<table><tr>";
  for (const std::string& h : header) body_ += "<th>" + html_escape(h) + "</th>";
  body_ += "</tr>\n";
  for (const auto& row : rows) {
    body_ += "<tr>";
    for (const std::string& cell : row) body_ += "<td>" + html_escape(cell) + "</td>";
    body_ += "</tr>\n";
  }
  body_ += "</table>\n";
}

void HtmlPage::preformatted(const std::string& text) { body_ += "<pre>" + html_escape(text) + "</pre>\n"; }

void HtmlPage::write(const std::filesystem::path& path) const {
  std::string contents;
  for (std::size_t i = 0; i < headings_.size(); ++i) {
    contents += "<li><a href=\"#s" + std::to_string(i + 1) + "\">" + html_escape(headings_[i]) + "</a></li>";
  }
  std::ostringstream out;
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" << html_escape(title_)
        << "</title>\n<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}"
           "figure{display:inline-block;margin:0.5em;vertical-align:top}figure img{max-width:100%}"
           "figcaption{font-size:0.85em;color:#555}pre{background:#f4f4f4;padding:1em;overflow-x:auto;font-size:0.8em}"
           "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
           ".missing{color:#a00}</style></head><body>\n<h1>"
        << html_escape(title_) << "</h1>\n<ol>" << contents << "</ol>\n" << body_ << "</body></html>\n";
  write_file_atomically(path, out.str());
}

}  // namespace lindiff
