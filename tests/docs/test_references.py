"""Everything the repository cites is in the repository.

Comments, scripts and the README point at docs/wire.md and docs/decisions.md (often at a section:
`docs/decisions.md, "Admin vs auth"`). A person who clones the repository has nothing else, so
every cited file must exist, every cited section must be a heading of that file, and nothing may
point outside the repository.
"""
import os
import re
import subprocess
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# The project's own text: sources, scripts, build files, docs. Lock files and vendored
# node_modules are other people's text.
TEXT_FILE = re.compile(r"(\.(h|cc|py|js|sh|md|txt|cmake|in|yaml|yml|1|supp|dict)|Dockerfile|/run)$")

# `docs/decisions.md, "Title"`, `docs/wire.md: "phrase"`, `docs/wire.md "Title"`.
SECTION_CITATION = re.compile(r'docs/(decisions|wire)\.md[,:]?\s*(?:#\s*)?"([^"]+)"')
# A document of the project under docs/: a Markdown page or the man page.
FILE_CITATION = re.compile(r"(?<![\w./-])(docs/[\w.-]+\.(?:md|1))")


# The documents whose sections are cited, by the name a citation uses.
DOCS = {"decisions": "docs/decisions.md", "wire": "docs/wire.md"}

# Material that lives beside a checkout, never in it: the reference folder one level up.
OUTSIDE = "shared" + "/reference|" + re.escape("..") + "/" + "shared/"


def tracked_files():
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split()
    return [f for f in listed if TEXT_FILE.search(f) and "node_modules" not in f
            and os.path.isfile(os.path.join(ROOT, f))]


def read(relative):
    with open(os.path.join(ROOT, relative), encoding="utf-8", errors="replace") as handle:
        return handle.read()


def headings(relative):
    return [re.sub(r"\s+", " ", line.lstrip("#").strip())
            for line in read(relative).splitlines() if line.startswith("#")]


class ReferenceTest(unittest.TestCase):
    def setUp(self):
        self.files = tracked_files()
        self.assertGreater(len(self.files), 100)

    def test_nothing_points_outside_the_repository(self):
        for relative in self.files:
            if relative == "tests/docs/test_references.py":
                continue
            for number, line in enumerate(read(relative).splitlines(), 1):
                with self.subTest(file=relative, line=number):
                    self.assertNotRegex(line, OUTSIDE)

    def test_cited_sections_exist(self):
        titles = {name: headings(DOCS[name]) for name in DOCS}
        texts = {name: re.sub(r"\s+", " ", read(DOCS[name]))
                 for name in ("decisions", "wire")}
        seen = 0
        for relative in self.files:
            if relative == "tests/docs/test_references.py":
                continue
            # Citations may wrap across comment lines: join them first.
            text = re.sub(r"\s*\n\s*(//|#)?\s*", " ", read(relative))
            for name, cited in SECTION_CITATION.findall(text):
                seen += 1
                with self.subTest(file=relative, cited=cited):
                    # A section title (a heading begins with it), or a phrase the file says.
                    is_heading = any(title.startswith(cited) for title in titles[name])
                    self.assertTrue(is_heading or cited.split(" ...")[0] in texts[name],
                                    "%s cites %s, %r, which it does not have"
                                    % (relative, DOCS[name], cited))
        self.assertGreater(seen, 10)

    def test_cited_files_exist(self):
        for relative in self.files:
            if relative == "tests/docs/test_references.py":
                continue
            for cited in FILE_CITATION.findall(read(relative)):
                with self.subTest(file=relative, cited=cited):
                    self.assertTrue(os.path.exists(os.path.join(ROOT, cited)),
                                    "%s refers to %s, which is not in the repository"
                                    % (relative, cited))


if __name__ == "__main__":
    unittest.main()
