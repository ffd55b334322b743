//! `site`: a static website of the portfolio. Every relative link leads to
//! a page that exists, nothing runs or is fetched, the same commit gives the
//! same bytes, and the folder holds nothing the site did not write. The last
//! tests have headless Chromium load the pages, at 320 px too.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;
use crate::support::{chromium, chromium_required, dump_dom, minimal, scroll_width};

#[test]
fn help_text() {
    let s = Sandbox::empty();
    insta::assert_snapshot!("help_site", texts(&s.run(&["site", "--help"])).0);
}

/// Every file of a built site, by its path inside the folder.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read file"));
            }
        }
    }
    out
}

/// Build the site of a shipped example into `dir`.
fn build_example(example: &str, dir: &Path, extra: &[&str]) {
    let out_dir = dir.to_string_lossy().into_owned();
    let mut args = vec!["-C", example, "site", "--output", &out_dir];
    args.extend_from_slice(extra);
    let out = in_repo(&args);
    assert_eq!(out.status.code(), Some(0), "site of {example} failed:\n{}", texts(&out).1);
}

/// The tags of a page: each `<…>` of real markup (escaped text has none).
fn tags(html: &str) -> Vec<&str> {
    html.split('<').skip(1).map(|t| &t[..t.find('>').unwrap_or(t.len())]).collect()
}

/// The attributes of a tag: name and value (without quotes).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.trim_start_matches(|c: char| c != ' ' && c != '\n');
    loop {
        rest = rest.trim_start();
        let Some(eq) = rest.find(['=', ' ']) else {
            if !rest.is_empty() && rest != "/" {
                out.push((rest.to_ascii_lowercase(), String::new()));
            }
            break;
        };
        let name = rest[..eq].to_ascii_lowercase();
        if rest[eq..].starts_with(' ') {
            out.push((name, String::new()));
            rest = &rest[eq..];
            continue;
        }
        let after = &rest[eq + 1..];
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let end = after[1..].find(q).expect("closing quote") + 1;
                (&after[1..end], &after[end + 1..])
            }
            _ => {
                let end = after.find(' ').unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        out.push((name, value.to_owned()));
        rest = next;
    }
    out
}

/// Nothing on the page runs or is fetched; every relative link leads to a
/// file of the site (and an anchor on it, when it names one).
fn assert_safe_and_linked(site: &BTreeMap<String, Vec<u8>>, name: &str) -> usize {
    let html = String::from_utf8(site[name].clone()).expect("UTF-8 page");
    let lower = html.to_lowercase();
    assert!(lower.starts_with("<!doctype html>"), "{name}: doctype first");
    assert!(lower.contains("default-src 'none'"), "{name}: a Content-Security-Policy that forbids fetching");
    assert!(!lower.contains("<script") && !lower.contains("<iframe") && !lower.contains("<object"), "{name}");
    assert!(!lower.contains("<img") && !lower.contains("<link") && !lower.contains("url("), "{name}");
    assert!(html.contains("<header") && html.contains("<nav class=\"site\" aria-label=") && html.contains("<main>"));
    let base = Path::new(name).parent().unwrap_or(Path::new(""));
    let mut links = 0;
    for tag in tags(&html) {
        if tag.starts_with('!') || tag.starts_with('/') {
            continue;
        }
        for (attr, value) in attributes(tag) {
            assert!(!attr.starts_with("on"), "{name}: event handler attribute in <{tag}>");
            assert!(
                !["src", "srcset", "action", "formaction", "poster", "data", "xlink:href"].contains(&attr.as_str())
                    || value.starts_with('#'),
                "{name}: <{tag}> fetches"
            );
            if attr != "href" {
                continue;
            }
            let v = value.to_lowercase();
            assert!(!v.contains("javascript:") && !v.contains("data:") && !v.contains("file:"), "{name}: href {value}");
            if v.starts_with("http://") || v.starts_with("https://") || v.starts_with("mailto:") {
                assert!(tag.starts_with("a "), "{name}: only links may point off the site: <{tag}>");
                continue;
            }
            links += 1;
            let (file, anchor) = value.split_once('#').unwrap_or((&value, ""));
            let (target, text) = if file.is_empty() {
                (name.to_owned(), html.clone())
            } else {
                let mut parts: Vec<&str> = base.to_str().unwrap_or("").split('/').filter(|s| !s.is_empty()).collect();
                for part in file.split('/') {
                    match part {
                        ".." => assert!(parts.pop().is_some(), "{name}: {value} leaves the site"),
                        "." => {}
                        p => parts.push(p),
                    }
                }
                let target = parts.join("/");
                let bytes =
                    site.get(&target).unwrap_or_else(|| panic!("{name}: link {value} to a missing page {target}"));
                (target, String::from_utf8_lossy(bytes).into_owned())
            };
            if !anchor.is_empty() {
                assert!(text.contains(&format!("id=\"{anchor}\"")), "{name}: no #{anchor} in {target}");
            }
        }
    }
    links
}

/// Every tiltak ID of a shipped example.
fn example_ids(example: &str) -> Vec<String> {
    let out = in_repo(&["-C", example, "list", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&texts(&out).0).expect("json list");
    json.as_array().expect("list").iter().map(|t| t["id"].as_str().expect("id").to_owned()).collect()
}

#[test]
fn site_of_the_examples_is_linked_safe_and_deterministic() {
    for (example, kind) in [("examples/ehelse", "segment-"), ("examples/digdir", "group-")] {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = dir.path().join("site");
        build_example(example, &first, &[]);
        let site = files(&first);
        for page in ["index.html", "board.html", "log.html", ".portfolio-site"] {
            assert!(site.contains_key(page), "{example}: {page}");
        }
        assert!(site.keys().any(|k| k.starts_with(kind)), "{example}: {kind} pages: {:?}", site.keys());
        let ids = example_ids(example);
        for id in &ids {
            let page = format!("tiltak/{}.html", id.to_lowercase());
            let html = String::from_utf8_lossy(site.get(&page).unwrap_or_else(|| panic!("{example}: {page}")));
            assert!(html.contains(&format!("<span class=\"kicker\">Tiltak {id}</span>")), "{page}");
            assert!(html.contains("id=\"description\"") && html.contains("id=\"history\""), "{page}");
            assert!(html.contains("href=\"../index.html#all-tiltak\""), "{page} links back");
            // The index links the tiltak to its page.
            let index = String::from_utf8_lossy(&site["index.html"]);
            assert!(index.contains(&format!("<a href=\"{page}\">{id}</a>")), "index links {id}");
        }
        let manifest = String::from_utf8_lossy(&site[".portfolio-site"]).into_owned();
        let listed: Vec<&str> = manifest.lines().filter(|l| !l.starts_with('#')).collect();
        let html: Vec<&String> = site.keys().filter(|k| k.ends_with(".html")).collect();
        assert_eq!(listed, html, "{example}: the manifest lists every page, sorted");
        let mut links = 0;
        for name in &html {
            links += assert_safe_and_linked(&site, name);
        }
        assert!(links > 10 * ids.len(), "{example}: {links} links followed");

        // The same commit, the same bytes: into another folder, and again into this one.
        let second = dir.path().join("again");
        build_example(example, &second, &[]);
        assert!(files(&second) == site, "{example}: a second build differs");
        build_example(example, &first, &[]);
        assert!(files(&first) == site, "{example}: a rebuild in place differs");
    }
}

#[test]
fn site_speaks_english_and_prints() {
    let dir = tempfile::tempdir().expect("temp dir");
    build_example("examples/ehelse", dir.path(), &["--lang", "en"]);
    let index = std::fs::read_to_string(dir.path().join("index.html")).expect("index");
    assert!(index.contains("<html lang=\"en\">") && index.contains(">Key figures</h2>"));
    assert!(index.contains("size: A4") && index.contains("@media print") && index.contains("forced-colors"));
    let page = std::fs::read_to_string(dir.path().join("tiltak/eh-001.html")).expect("tiltak page");
    assert!(page.contains(">Exit criteria: "), "{page}");
    assert!(page.contains("✘ not met") || page.contains("✔ met"), "{page}");
}

const HOSTILE_BODY: &str = r#"# <script>alert('title')</script>

Hello <img src=x onerror="alert(1)"> and <a href="javascript:alert(2)" onclick="alert(3)">click</a>.

<div onmouseover="alert(4)"><iframe src="https://evil.example/"></iframe></div>

<script>alert(5)</script>

[js](javascript:alert(6)) [js2](JAVASCRIPT:alert(7)) [data](data:text/html;base64,PHNjcmlwdD4=)
[web](https://example.org/ok) ![pixel](https://evil.example/p.gif) [repo](../2-problem/DD-009-x.md)

```html
<script>alert(8)</script>
```

## Kriterier: Ikke startet
- [x] Overordnet innsikt og forståelse er etablert.
"#;

#[test]
fn site_escapes_hostile_titles_and_bodies() {
    let s = Sandbox::portfolio("digdir");
    let title = r#"<script>alert(1)</script> <img src=x onerror=alert(2)> & "x""#;
    s.write(
        "tiltak/1-ikke-startet/DD-001-x.md",
        format!("---\nid: DD-001\ntitle: '{}'\ncreated: 2026-01-05\nowner: \"<b onclick=x>Kari</b>\"\nlinks: [\"javascript:alert(9)\"]\n---\n{HOSTILE_BODY}", title.replace('\'', "''")),
    );
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "hostile"]);
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("site");
    s.ok(&["site", "--output", dir.to_str().expect("path")]);
    let site = files(&dir);
    for name in site.keys().filter(|k| k.ends_with(".html")) {
        assert_safe_and_linked(&site, name);
    }
    let page = String::from_utf8_lossy(&site["tiltak/dd-001.html"]).into_owned();
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; &amp; &quot;x&quot;"),
        "{page}"
    );
    assert!(page.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"), "raw inline HTML is text: {page}");
    assert!(page.contains("&lt;script&gt;alert(5)&lt;/script&gt;"), "raw HTML blocks are text");
    assert!(page.contains("<a href=\"https://example.org/ok\">web</a>"), "web links stay links");
    assert!(page.contains("[<a href=\"https://evil.example/p.gif\">pixel</a>]"), "images are named, not loaded");
    assert!(page.contains("&lt;b onclick=x&gt;Kari&lt;/b&gt;"), "fields are escaped");
    assert!(!page.to_lowercase().contains("href=\"javascript") && !page.contains("DD-009-x.md\""), "{page}");
}

/// The site is of the last commit: a clean work tree gives the same pages
/// as `--at HEAD`, and an edit not committed yet (to a tiltak or to
/// portfolio.yaml) is in no page, with a note saying so.
#[test]
fn site_shows_the_commit_not_the_edits_on_disk() {
    let s = Sandbox::portfolio("digdir");
    s.write("tiltak/1-ikke-startet/DD-001-x.md", minimal("DD-001", "Som committet"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "one"]);
    let out = tempfile::tempdir().expect("temp dir");
    let build = |name: &str, extra: &[&str]| {
        let dir = out.path().join(name);
        let mut args = vec!["site", "--output", dir.to_str().expect("path")];
        args.extend_from_slice(extra);
        let run = s.run(&args);
        assert_eq!(run.status.code(), Some(0), "{}", texts(&run).1);
        (files(&dir), texts(&run).1)
    };
    let (clean, note) = build("clean", &[]);
    assert!(!note.contains("not yet committed"), "{note}");
    assert_eq!(clean, build("at-head", &["--at", "HEAD"]).0, "the same commit, the same pages");
    assert!(String::from_utf8_lossy(&clean["tiltak/dd-001.html"]).contains("Som committet"));

    s.write("tiltak/1-ikke-startet/DD-001-x.md", minimal("DD-001", "Endret på disken"));
    let (edited, note) = build("edited", &[]);
    assert!(note.contains("changes not yet committed are not in it"), "{note}");
    assert_eq!(edited, clean, "the edit is in no page");

    let definition = s.read("portfolio.yaml");
    s.write("portfolio.yaml", definition.replace("Ikke startet", "Ikke påbegynt"));
    let (changed, note) = build("definition", &[]);
    assert!(note.contains("changes not yet committed are not in it"), "{note}");
    assert_eq!(changed, clean, "the changed definition is in no page");
}

#[test]
fn site_refuses_a_folder_it_did_not_write_and_leaves_it_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("notes.txt"), "mine").expect("write");
    std::fs::write(dir.path().join("index.html"), "my own page").expect("write");
    let target = dir.path().to_string_lossy().into_owned();
    let out = in_repo(&["-C", "examples/digdir", "site", "--output", &target]);
    assert_eq!(out.status.code(), Some(2), "refused");
    assert!(texts(&out).1.contains("not empty"), "{}", texts(&out).1);
    let left = files(dir.path());
    assert_eq!(left.len(), 2, "{:?}", left.keys());
    assert_eq!(left["notes.txt"], b"mine");
    assert_eq!(left["index.html"], b"my own page");
}

#[test]
fn a_rebuild_removes_the_pages_of_gone_tiltak_and_nothing_else() {
    let s = Sandbox::portfolio("digdir");
    for (n, title) in [(1, "Første"), (2, "Andre")] {
        s.write(
            &format!("tiltak/1-ikke-startet/DD-00{n}-x.md"),
            format!("---\nid: DD-00{n}\ntitle: {title}\ncreated: 2026-01-05\n---\n# {title}\n"),
        );
    }
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "two"]);
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("site");
    let target = dir.to_str().expect("path");
    s.ok(&["site", "--output", target]);
    assert!(dir.join("tiltak/dd-002.html").is_file());
    // The publisher's own files beside the site's.
    std::fs::write(dir.join("CNAME"), "portfolio.example.no").expect("write");
    std::fs::write(dir.join("tiltak/notes.html"), "mine").expect("write");
    // A file the site would write but the manifest does not list is refused.
    let before = files(&dir);
    s.git(&["rm", "-q", "tiltak/1-ikke-startet/DD-002-x.md"]);
    s.git(&["commit", "-qm", "remove DD-002"]);
    s.ok(&["site", "--output", target]);
    let after = files(&dir);
    assert!(!after.contains_key("tiltak/dd-002.html"), "the gone tiltak's page is removed");
    assert_eq!(after["CNAME"], b"portfolio.example.no");
    assert_eq!(after["tiltak/notes.html"], b"mine");
    let mut expected: Vec<&String> = before.keys().filter(|k| *k != "tiltak/dd-002.html").collect();
    expected.sort();
    assert_eq!(after.keys().collect::<Vec<_>>(), expected, "nothing else removed");
    let manifest = String::from_utf8_lossy(&after[".portfolio-site"]).into_owned();
    assert!(!manifest.contains("dd-002") && !manifest.contains("CNAME") && !manifest.contains("notes"), "{manifest}");
    for name in after.keys().filter(|k| k.ends_with(".html") && *k != "tiltak/notes.html") {
        assert_safe_and_linked(&after, name);
    }
}

#[test]
fn site_does_not_overwrite_a_page_it_did_not_write() {
    let s = Sandbox::portfolio("digdir");
    s.write("tiltak/1-ikke-startet/DD-001-x.md", "---\nid: DD-001\ntitle: X\ncreated: 2026-01-05\n---\n# X\n");
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "one"]);
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("site");
    let target = dir.to_str().expect("path");
    s.ok(&["site", "--output", target]);
    // Someone puts a page where the next build would write one.
    s.write("tiltak/1-ikke-startet/DD-002-y.md", "---\nid: DD-002\ntitle: Y\ncreated: 2026-01-05\n---\n# Y\n");
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "two"]);
    std::fs::write(dir.join("tiltak/dd-002.html"), "hand-made").expect("write");
    let before = files(&dir);
    let run = s.run(&["site", "--output", target]);
    assert_eq!(run.status.code(), Some(2), "{}", texts(&run).1);
    assert!(texts(&run).1.contains("was not written by `portfolio site`"), "{}", texts(&run).1);
    assert!(files(&dir) == before, "nothing changed");
}

// ---------------------------------------------------------------------------
// In a browser

#[test]
fn site_pages_load_in_a_browser_and_reflow_at_320_pixels() {
    let Some(chromium) = chromium() else {
        assert!(
            !chromium_required(),
            "chromium is required here (CI or PORTFOLIO_REQUIRE_CHROMIUM=1) but was not found"
        );
        eprintln!("note: chromium not found; skipping the browser check of the site");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    build_example("examples/ehelse", &site, &[]);
    let profile = dir.path().join("profile");
    std::fs::create_dir(&profile).expect("profile dir");
    let dom = dump_dom(&chromium, &site.join("tiltak/eh-001.html"), &profile, &[]);
    assert!(dom.contains("<html lang=\"nb\">"), "the browser parsed the page:\n{dom}");
    for landmark in ["<header", "<nav class=\"site\"", "<nav class=\"crumbs\"", "<main>", "id=\"criteria\""] {
        assert!(dom.contains(landmark), "{landmark} in the DOM");
    }
    assert!(dom.contains("Pasientens legemiddelliste"), "the tiltak's title");
    assert!(!dom.to_lowercase().contains("<script"), "no scripts in the DOM");
    let dom = dump_dom(&chromium, &site.join("index.html"), &profile, &[]);
    assert!(dom.contains("href=\"tiltak/eh-001.html\""), "the index links the tiltak pages");

    for page in ["tiltak/eh-001.html", "index.html", "board.html", "log.html"] {
        let html = std::fs::read_to_string(site.join(page)).expect("page");
        let tag = page.replace(['/', '.'], "-");
        let (viewport, scroll) = scroll_width(&chromium, dir.path(), &html, 320, &tag);
        assert_eq!(viewport, 320, "{page}: the frame is 320 px wide");
        assert_eq!(scroll, 320, "{page} at 320 px scrolls sideways to {scroll} px");
    }
}

#[test]
fn a_forged_manifest_cannot_make_the_site_delete_or_write_outside_its_folder() {
    let s = Sandbox::portfolio("digdir");
    s.write("tiltak/1-ikke-startet/DD-001-x.md", "---\nid: DD-001\ntitle: X\ncreated: 2026-01-05\n---\n# X\n");
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "one"]);
    let out = tempfile::tempdir().expect("temp dir");
    let dir = out.path().join("site");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(out.path().join("victim.html"), "keep me").expect("write");
    std::fs::write(dir.join("notes.md"), "mine").expect("write");
    std::fs::write(dir.join(".portfolio-site"), "../victim.html\n/etc/passwd\nnotes.md\ntiltak/../../victim.html\n")
        .expect("write");
    s.ok(&["site", "--output", dir.to_str().expect("path")]);
    assert_eq!(std::fs::read_to_string(out.path().join("victim.html")).expect("victim"), "keep me");
    assert_eq!(std::fs::read_to_string(dir.join("notes.md")).expect("notes"), "mine");
    assert!(dir.join("tiltak/dd-001.html").is_file());

    // A tiltak folder that is a link elsewhere is not written through.
    let other = tempfile::tempdir().expect("temp dir");
    let linked = out.path().join("linked");
    std::fs::create_dir(&linked).expect("mkdir");
    std::os::unix::fs::symlink(other.path(), linked.join("tiltak")).expect("symlink");
    std::fs::write(linked.join(".portfolio-site"), "index.html\n").expect("write");
    let run = s.run(&["site", "--output", linked.to_str().expect("path")]);
    assert_eq!(run.status.code(), Some(2), "{}", texts(&run).1);
    assert_eq!(std::fs::read_dir(other.path()).expect("read").count(), 0, "nothing written through the link");
}
