// Owns writing a self-contained HTML page: headings, text, tables, preformatted blocks and
// PNG images embedded as base64 data URIs, so that the page opens from disk anywhere.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace lindiff {

// A page built section by section.
class HtmlPage {
 public:
  explicit HtmlPage(std::string title);
  // A section heading (level 2) with an anchor in the table of contents.
  void heading(const std::string& text);
  // A paragraph of plain text (escaped).
  void paragraph(const std::string& text);
  // A PNG embedded inline with a caption; a missing file becomes a note, not an error.
  void image(const std::filesystem::path& png, const std::string& caption);
  // A table with a header row (cells escaped).
  void table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
  // A preformatted block (escaped), e.g. the resolved config.
  void preformatted(const std::string& text);
  // Writes the page atomically (temporary file renamed into place).
  void write(const std::filesystem::path& path) const;

 private:
  std::string title_;
  std::vector<std::string> headings_;
  std::string body_;
};

// Base64 of `bytes` (RFC 4648, with padding).
std::string base64(const std::string& bytes);

// `text` with &, <, >, " escaped for HTML.
std::string html_escape(const std::string& text);

}  // namespace lindiff
