#include "src/report/html_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace lindiff {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

// RFC 4648 test vectors.
TEST(HtmlPage, Base64AndEscaping) {
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(html_escape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
}

// Every section is escaped, headings are listed with anchors, an image is inlined as a data
// URI of its bytes, a missing one becomes a note; the page appears only once complete.
TEST(HtmlPage, WritesEscapedSectionsAndInlineImages) {
  TempDir dir;
  testing::write_bytes(dir / "a.png", "foo");
  HtmlPage page("Run <1>");
  page.heading("Spectra & fits");
  page.paragraph("N < d");
  page.image(dir / "a.png", "first \"figure\"");
  page.image(dir / "absent.png", "second");
  page.table({"N", "KL"}, {{"8", "inf"}, {"<16>", "0.5"}});
  page.preformatted("seed: 3\n<raw>");
  page.write(dir / "report.html");
  const std::string html = testing::read_text(dir / "report.html");
  EXPECT_THAT(html, HasSubstr("<title>Run &lt;1&gt;</title>"));
  EXPECT_THAT(html, HasSubstr("<li><a href=\"#s1\">Spectra &amp; fits</a></li>"));
  EXPECT_THAT(html, HasSubstr("<h2 id=\"s1\">Spectra &amp; fits</h2>"));
  EXPECT_THAT(html, HasSubstr("<p>N &lt; d</p>"));
  EXPECT_THAT(html, HasSubstr("src=\"data:image/png;base64,Zm9v\"><figcaption>first &quot;figure&quot;</figcaption>"));
  EXPECT_THAT(html, HasSubstr("(figure absent.png was not drawn)"));
  EXPECT_THAT(html, HasSubstr("<tr><th>N</th><th>KL</th></tr>"));
  EXPECT_THAT(html, HasSubstr("<tr><td>&lt;16&gt;</td><td>0.5</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<pre>seed: 3\n&lt;raw&gt;</pre>"));
  EXPECT_THAT(html, Not(HasSubstr("<raw>")));
  EXPECT_FALSE(std::filesystem::exists(dir / "report.html.partial"));
}

}  // namespace
}  // namespace lindiff
